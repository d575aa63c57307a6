// kroniek: the timeline's filters, as a progressive enhancement of the server-rendered page.
//
// Without this script the organisation filters are links to the organisation pages and every
// event is shown. With it, they become toggle buttons (aria-pressed) that filter the events on
// this page: several organisations show the union of their events; tags likewise; "key moments
// only" keeps the `major` events; the three groups combine (organisation AND tag AND key
// moment). "All" resets. Day headings without a visible event are hidden, the chart dims the
// marks of hidden events, and a live region says how many events are shown.
//
// Filtering touches one element, however long the list: the classes of `.timeline`
// (`f-org fo-ncsc`, `f-tag ft-<hash>`, `f-major`, `filtered`), which the rules that kroniek adds
// to style.css turn into hidden cards (`o-<key>`, `t-<hash>`) and hidden days (`:has()`). The
// count is worked out from the cards' data, read once. A browser without `:is()`, `:not()` of
// a descendant or `:has()` gets the old way instead: `hidden` on every card and day.
//
// The state is in the URL (`?org=ncsc,bzk&tag=melding&major=1`), so a filtered view is a link
// that can be shared; it is read on load and on back/forward. On a period page of a split
// timeline, the links to the other periods (the pager and the list of periods) carry it, so
// that the next month opens with the same filter. Every word shown comes from the
// page (data attributes rendered from the site's language), none from here. No inline script
// or style is used, so a strict Content-Security-Policy holds.
(() => {
  'use strict';

  const bar = document.getElementById('_filters');
  const timeline = document.querySelector('.timeline');
  if (!bar || !timeline) return;

  const status = bar.querySelector('.filter-status');
  const events = [...timeline.querySelectorAll('article.event')].map((el) => ({
    el,
    orgs: (el.dataset.orgs || '').split(' ').filter(Boolean),
    tags: parseTags(el.dataset.tags),
    major: el.hasAttribute('data-major'),
    day: el.closest('section.day'),
    visible: true,
  }));
  const byCard = new Map(events.map((ev) => [ev.el, ev]));
  const ofDay = new Map();
  for (const ev of events) ofDay.set(ev.day, [...(ofDay.get(ev.day) || []), ev]);
  const days = [...timeline.querySelectorAll('section.day')];

  // The links of the organisation filter become toggle buttons; "All" becomes a reset button.
  const orgButtons = [...bar.querySelectorAll('a.filter[data-org]')].map(toButton);
  const allLink = bar.querySelector('a.filter-all');
  const allButton = allLink && toButton(allLink);
  const tagButtons = [...bar.querySelectorAll('button.filter-tag')];
  const majorButton = bar.querySelector('button.filter-major');
  const known = {
    org: new Set(orgButtons.map((b) => b.dataset.org)),
    tag: new Set(tagButtons.map((b) => b.dataset.tag)),
  };
  // The class of each tag's cards, which the list gets (with `f`) when the tag is chosen.
  const tagClass = new Map(tagButtons.map((b) => [b.dataset.tag, b.dataset.class || '']));
  const listClass = timeline.className;
  const styled = supports(':is(a b)') && supports(':not(a b)');
  const styledDays = styled && supports(':has(> a)');

  // The links to the other periods of a split timeline, with their addresses without a query.
  const periodLinks = [...document.querySelectorAll('.periods a[href], .period-pager a[href]')].map((a) => ({
    a,
    href: a.getAttribute('href').replace(/[?#].*$/, ''),
  }));

  // The chart's marks, by the event they link to; a cluster of several events ("+5") with
  // the ids of all of them, dimmed only when every one is hidden.
  const marks = new Map();
  const clusters = [];
  for (const a of document.querySelectorAll('svg.chart a')) {
    if (a.dataset.events) {
      clusters.push({ a, ids: a.dataset.events.split(' ') });
      continue;
    }
    const id = fragment(a.getAttribute('href'));
    if (id !== null) marks.set(id, [...(marks.get(id) || []), a]);
  }

  let state = read(location.search);

  for (const button of orgButtons) {
    button.addEventListener('click', () => toggle('org', button.dataset.org));
  }
  for (const button of tagButtons) {
    button.addEventListener('click', () => toggle('tag', button.dataset.tag));
  }
  if (majorButton) {
    majorButton.addEventListener('click', () => change({ ...state, major: !state.major }));
  }
  if (allButton) {
    allButton.addEventListener('click', () => change(empty()));
  }
  window.addEventListener('popstate', () => {
    state = read(location.search);
    show(state);
  });
  // A link to an event that the filter hides (a chart mark, a correction): show everything,
  // then go there. (A page opened at such a link does the same; see below.)
  document.addEventListener('click', (e) => {
    const a = e.target instanceof Element && e.target.closest('a[href^="#"]');
    const id = a && fragment(a.getAttribute('href'));
    const target = id && document.getElementById(id);
    if (!target || !filteredOut(target) || e.defaultPrevented) return;
    e.preventDefault();
    state = empty();
    show(state);
    remember(location.pathname + '#' + encodeURIComponent(id), 'push');
    // A fragment navigation to the URL we are at: scrolls, and sets :target and focus.
    location.replace('#' + encodeURIComponent(id));
  });

  show(state);

  // A shared link to an event (or a note in one) that the link's own filter hides
  // (`index.html?org=x#slug`): as a click on such a link does, show everything and go there.
  // The address keeps the fragment and loses the query, in place (no step is added).
  const landing = fragment(location.hash);
  const landed = landing && document.getElementById(landing);
  if (landed && filteredOut(landed)) {
    state = empty();
    show(state);
    remember(location.pathname + '#' + encodeURIComponent(landing), 'replace');
    location.replace('#' + encodeURIComponent(landing));
  }

  function toggle(group, value) {
    const values = new Set(state[group]);
    if (values.has(value)) values.delete(value);
    else values.add(value);
    change({ ...state, [group]: values });
  }

  function change(next) {
    state = next;
    show(state);
    const url = location.pathname + query(state);
    // A click that changes nothing ("All" when all is shown) adds no step to the history.
    if (url !== location.pathname + location.search) remember(url, 'push');
  }

  /** Shows the events that `s` lets through, and says how many. */
  function show(s) {
    let shown = 0;
    for (const ev of events) {
      const visible =
        (s.org.size === 0 || ev.orgs.some((o) => s.org.has(o))) &&
        (s.tag.size === 0 || ev.tags.some((t) => s.tag.has(t))) &&
        (!s.major || ev.major);
      if (visible) shown += 1;
      if (visible === ev.visible) continue;
      ev.visible = visible;
      if (!styled) ev.el.hidden = !visible;
      for (const mark of marks.get(ev.el.id) || []) {
        mark.classList.toggle('filtered-out', !visible);
      }
    }
    // A cluster stands for several events: dimmed when the filter hides all of them.
    for (const c of clusters) {
      c.a.classList.toggle('filtered-out', c.ids.every((id) => {
        const el = document.getElementById(id);
        const ev = el && byCard.get(el);
        return ev ? !ev.visible : false;
      }));
    }
    const classes = [listClass];
    if (s.org.size) classes.push('f-org', ...[...s.org].map((o) => 'fo-' + o));
    if (s.tag.size) classes.push('f-tag', ...[...s.tag].map((t) => 'f' + tagClass.get(t)));
    if (s.major) classes.push('f-major');
    if (s.org.size || s.tag.size || s.major) classes.push('filtered');
    const className = classes.join(' ');
    if (styled && timeline.className !== className) timeline.className = className;
    if (!styledDays) {
      for (const day of days) day.hidden = !dayShown(day);
    }
    for (const b of orgButtons) press(b, s.org.has(b.dataset.org));
    for (const b of tagButtons) press(b, s.tag.has(b.dataset.tag));
    countTags(s);
    if (majorButton) press(majorButton, s.major);
    const filtered = s.org.size > 0 || s.tag.size > 0 || s.major;
    if (allButton) press(allButton, !filtered);
    const carried = query(s);
    for (const { a, href } of periodLinks) a.setAttribute('href', href + carried);
    if (status) {
      const text = filtered
        ? status.dataset.some.replace('{shown}', String(shown))
        : status.dataset.all;
      // Only a change is announced; the same words again would be read again.
      if (status.textContent !== text) status.textContent = text;
    }
  }

  /** Each tag's count: its events among those the other filters (organisations, key moments)
   * let through, so that a tag shows what clicking it would add. Written only when it changes. */
  function countTags(s) {
    if (!tagButtons.length) return;
    const counts = new Map();
    for (const ev of events) {
      if (s.org.size && !ev.orgs.some((o) => s.org.has(o))) continue;
      if (s.major && !ev.major) continue;
      for (const t of ev.tags) counts.set(t, (counts.get(t) || 0) + 1);
    }
    for (const b of tagButtons) {
      const count = b.querySelector('.count');
      const text = String(counts.get(b.dataset.tag) || 0);
      if (count && count.textContent !== text) count.textContent = text;
    }
  }

  /** Whether the filter hides `el`: its card, or its day (a day heading, say). */
  function filteredOut(el) {
    const card = el.closest('article.event');
    const ev = card && byCard.get(card);
    if (ev) return !ev.visible;
    const day = el.closest('section.day');
    return Boolean(day) && !dayShown(day);
  }

  function dayShown(day) {
    return (ofDay.get(day) || []).some((ev) => ev.visible);
  }

  function supports(selector) {
    try {
      return CSS.supports('selector(' + selector + ')');
    } catch (e) {
      return false;
    }
  }

  function press(button, on) {
    button.setAttribute('aria-pressed', on ? 'true' : 'false');
  }

  function empty() {
    return { org: new Set(), tag: new Set(), major: false };
  }

  /** The filter state in a query string; unknown organisations and tags are left out. */
  function read(search) {
    const s = empty();
    for (const part of search.replace(/^\?/, '').split('&')) {
      const eq = part.indexOf('=');
      if (eq < 0) continue;
      const name = decode(part.slice(0, eq));
      const values = part.slice(eq + 1).split(',').map(decode).filter(Boolean);
      if (name === 'org' || name === 'tag') {
        for (const v of values) if (known[name].has(v)) s[name].add(v);
      } else if (name === 'major') {
        s.major = Boolean(majorButton) && values[0] === '1';
      }
    }
    return s;
  }

  /** `?org=bzk,ncsc&tag=…&major=1`, values in the order of the filter bar; '' for no filter. */
  function query(s) {
    const parts = [];
    const list = (buttons, key, values) =>
      buttons
        .map((b) => b.dataset[key])
        .filter((v) => values.has(v))
        .map(encodeURIComponent)
        .join(',');
    if (s.org.size) parts.push('org=' + list(orgButtons, 'org', s.org));
    if (s.tag.size) parts.push('tag=' + list(tagButtons, 'tag', s.tag));
    if (s.major) parts.push('major=1');
    return parts.length ? '?' + parts.join('&') : '';
  }

  function remember(url, how) {
    try {
      if (how === 'push') history.pushState(null, '', url);
      else history.replaceState(null, '', url);
    } catch (e) {
      // Some browsers refuse history URLs for pages opened from disk (file://): the filter
      // still works, only the address bar does not follow.
    }
  }

  function toButton(link) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = link.className;
    if (link.title) button.title = link.title;
    if (link.dataset.org) button.dataset.org = link.dataset.org;
    button.append(...link.childNodes);
    link.replaceWith(button);
    return button;
  }

  function parseTags(json) {
    try {
      const tags = JSON.parse(json || '[]');
      return Array.isArray(tags) ? tags.map(String) : [];
    } catch (e) {
      return [];
    }
  }

  function fragment(href) {
    if (!href || href[0] !== '#' || href.length < 2) return null;
    return decode(href.slice(1));
  }

  function decode(text) {
    try {
      return decodeURIComponent(text.replace(/\+/g, ' '));
    } catch (e) {
      return '';
    }
  }
})();
