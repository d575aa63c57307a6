// End-to-end tests of the timeline page in headless Chromium: the filters, the URL state, the
// live region, the chart's links, the page without JavaScript, and no console errors under a
// strict Content-Security-Policy.
//
//   node tests/browser/filter.mjs SITE_DIR [PAGE]
//
// SITE_DIR is a built site (`kroniek build`). PAGE is the list page to test, relative to it:
// the timeline (default), or one period of a timeline split by `page_size`
// (`timeline/2024-06/index.html`), which has its own chart and filter bar for the events on it,
// and which the split timeline's chart links to, filtered to an organisation. What each
// filter should show is worked out from the site's own timeline.json (every event's
// organisations, tags and `major`), never from counts written here. Exit status: 0 all passed, 1 a test failed, 2 a tool is missing.
// tests/browser.rs runs this; scripts/test installs what it needs.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CSP, STEP_TIMEOUT, assert, finish, launch, loadChromium, serve, stopAfterTimeout, test,
} from './lib.mjs';

const site = process.argv[2] && path.resolve(process.argv[2]);
if (!site) {
  console.error('usage: node tests/browser/filter.mjs SITE_DIR');
  process.exit(2);
}
const pagePath = process.argv[3] || '';
const siteData = JSON.parse(readFileSync(path.join(site, 'timeline.json'), 'utf8'));
/** The slugs of the events a built list page shows (every event of its period). */
const eventsIn = (file) =>
  new Set([...readFileSync(path.join(site, file), 'utf8').matchAll(/<article class="event[^"]*" id="([^"]+)"/g)].map((m) => m[1]));
// On a period page, the events that page shows.
const onPage = pagePath ? eventsIn(pagePath) : null;
const data = { ...siteData, events: siteData.events.filter((e) => !onPage || onPage.has(e.slug)) };
const all = data.events.map((e) => e.slug);
const chromium = loadChromium();

// ------------------------------------------------------------------ what the data says

/** The slugs of the events that `keep` lets through, in timeline order. */
const where = (keep) => data.events.filter(keep).map((e) => e.slug);
const ofOrgs = (...keys) => where((e) => e.orgs.some((o) => keys.includes(o)));
const ofTags = (...tags) => where((e) => e.tags.some((t) => tags.includes(t)));

/** The words of the live region, as SPEC and the issue give them. */
function shownText(shown, total = all.length) {
  if (data.language === 'nl') {
    const noun = total === 1 ? 'gebeurtenis' : 'gebeurtenissen';
    return shown === null ? `Alle ${total} ${noun}` : `${shown} van ${total} ${noun}`;
  }
  const noun = total === 1 ? 'event' : 'events';
  return shown === null ? `All ${total} ${noun}` : `${shown} of ${total} ${noun}`;
}

// Two organisations whose events differ, so that their union is more than either; the most
// used tag that not every event has.
const orgsByCount = data.organisations
  .map((o) => ({ key: o.key, count: ofOrgs(o.key).length }))
  .filter((o) => o.count > 0 && o.count < all.length)
  .sort((a, b) => b.count - a.count);
const orgA = orgsByCount[0]?.key;
const orgB = orgsByCount.find((o) => {
  const union = ofOrgs(orgA, o.key).length;
  return o.key !== orgA && union > ofOrgs(orgA).length && union > ofOrgs(o.key).length;
})?.key;
const tagCounts = new Map();
for (const e of data.events) for (const t of new Set(e.tags)) tagCounts.set(t, (tagCounts.get(t) || 0) + 1);
const tag = [...tagCounts].filter(([, n]) => n < all.length).sort((a, b) => b[1] - a[1])[0]?.[0];
const majors = where((e) => e.major);

// ------------------------------------------------------------------ helpers

function same(actual, expected, what) {
  const a = JSON.stringify(actual);
  const b = JSON.stringify(expected);
  if (a !== b) throw new Error(`${what}:\n  got      ${a}\n  expected ${b}`);
}

/** Console errors, uncaught exceptions, CSP violations and failed requests of every page. */
const problems = [];

async function newPage(context) {
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  const where = () => page.url().replace(server.origin, '');
  page.on('console', (m) => {
    // The browser asks for /favicon.ico by itself; the theme has none (a site may put one in
    // content/). Any other console error counts.
    if (m.type() !== 'error' || new URL(m.location().url || server.origin).pathname === '/favicon.ico') return;
    problems.push(`${where()}: console: ${m.text()} [${m.location().url}]`);
  });
  page.on('pageerror', (e) => problems.push(`${where()}: uncaught ${e.name}: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`${where()}: failed request ${r.url()}: ${r.failure()?.errorText}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`${where()}: HTTP ${r.status()} for ${r.url()}`));
  // Nothing may be fetched from elsewhere (fonts, scripts, images): such requests are refused
  // and count as problems.
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(server.origin + '/') || url.startsWith('file:')) return route.continue();
    problems.push(`${where()}: request to another host: ${url}`);
    return route.abort('blockedbyclient');
  });
  // Collected in the page (Playwright's init scripts are not subject to the page's CSP).
  await page.addInitScript(() => {
    window.__shift = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`));
  });
  return page;
}

async function cspViolations(page) {
  const found = await page.evaluate(() => window.__csp || []);
  for (const v of found) problems.push(`${page.url()}: CSP: ${v}`);
}

/** The ids of the events a reader can see, in page order. */
const visibleEvents = (page) =>
  page.$$eval('.timeline article.event', (els) => els.filter((el) => el.checkVisibility()).map((el) => el.id));

/** Day sections that are shown without a visible event, or hidden with one. */
const badDays = (page) =>
  page.$$eval('.timeline section.day', (days) => days
    .filter((d) => d.checkVisibility() !== [...d.querySelectorAll('article.event')].some((a) => a.checkVisibility()))
    .map((d) => d.getAttribute('aria-labelledby')));

const statusText = (page) => page.$eval('.filter-status[role="status"]', (el) => el.textContent.trim());
const search = (page) => new URL(page.url()).search;
const pressed = (page) =>
  page.$$eval('.filter-bar button[aria-pressed="true"]', (bs) =>
    bs.map((b) => b.dataset.org || b.dataset.tag || (b.classList.contains('filter-all') ? 'all' : 'major')));

async function expectView(page, { slugs, query, shown, on }) {
  same(await visibleEvents(page), slugs, 'visible events');
  same(await badDays(page), [], 'day headings shown without events or hidden with them');
  same(search(page), query, 'query string');
  same(await statusText(page), shownText(shown), 'live region');
  if (on) same((await pressed(page)).sort(), [...on].sort(), 'pressed toggles');
}

const union = () => ofOrgs(orgA, orgB);
const orgButton = (page, key) => page.locator(`.filter-bar button[data-org="${key}"]`);
const tagButton = (page, t) => page.locator(`.filter-bar button.filter-tag[data-tag="${t.replace(/["\\]/g, '\\$&')}"]`);

// ------------------------------------------------------------------ the tests

const server = await serve(site);
const home = `${server.origin}/${pagePath}`;
const browser = await launch(chromium);
const timer = stopAfterTimeout(browser);

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await newPage(context);
  const response = await page.goto(home);

  await test('pages are served with a strict Content-Security-Policy', async () => {
    same(response.headers()['content-security-policy'], CSP, 'CSP header');
  });

  await test('with JavaScript every event shows at first, and the filters are toggle buttons', async () => {
    await expectView(page, { slugs: all, query: '', shown: null, on: ['all'] });
    same(await page.locator('.filter-bar a.filter').count(), 0, 'filter links left');
    same(await page.locator('.filter-bar button[data-org]').count(), data.organisations.length, 'organisation toggles');
    assert(await page.locator('.filter-more').isVisible(), 'the tag and key-moment filters are shown');
  });

  if (orgA && orgB) {
    await test(`clicking organisation "${orgA}" shows exactly its events`, async () => {
      await orgButton(page, orgA).click();
      await expectView(page, { slugs: ofOrgs(orgA), query: `?org=${orgA}`, shown: ofOrgs(orgA).length, on: [orgA] });
    });

    await test(`a second organisation "${orgB}" shows the union`, async () => {
      await orgButton(page, orgB).click();
      const order = data.organisations.map((o) => o.key).filter((k) => k === orgA || k === orgB);
      const union = ofOrgs(orgA, orgB);
      await expectView(page, { slugs: union, query: `?org=${order.join(',')}`, shown: union.length, on: [orgA, orgB] });
    });

    await test('a filter changes one element, the list, whatever the number of cards', async () => {
      const changed = await page.evaluate(() => new Promise((resolve) => {
        const seen = [];
        const observer = new MutationObserver((records) => {
          for (const r of records) if (r.target.closest('.timeline')) seen.push(`${r.target.tagName}.${r.attributeName}`);
        });
        observer.observe(document.querySelector('.timeline'), { attributes: true, subtree: true });
        // Released and pressed again: two steps in the history, taken back below.
        const button = document.querySelector('.filter-bar button[aria-pressed="true"][data-org]');
        button.click();
        button.click();
        requestAnimationFrame(() => requestAnimationFrame(() => { observer.disconnect(); resolve(seen); }));
      }));
      assert(changed.length > 0 && changed.every((c) => c === 'DIV.class'), `changed: ${changed.join(', ')}`);
      await page.goBack();
      await page.goBack();
      await expectView(page, { slugs: union(), query: search(page), shown: union().length, on: [orgA, orgB] });
    });

    await test('the days of the list are rendered only near the screen, and printed all', async () => {
      const styles = await page.$$eval('.timeline > .day', (days) => days.map((d) => getComputedStyle(d).contentVisibility));
      assert(styles.length > 0 && styles.every((v) => v === 'auto'), `content-visibility: ${[...new Set(styles)]}`);
      await page.emulateMedia({ media: 'print' });
      const printed = await page.$$eval('.timeline > .day', (days) => days.map((d) => getComputedStyle(d).contentVisibility));
      await page.emulateMedia({ media: 'screen' });
      assert(printed.every((v) => v === 'visible'), `printed: ${[...new Set(printed)]}`);
    });

    await test('a browser without :has() or :is() filters the same way, card by card', async () => {
      const old = await newPage(context);
      await old.addInitScript(() => { CSS.supports = () => false; });
      await old.goto(`${home}?org=${orgA}`);
      await expectView(old, { slugs: ofOrgs(orgA), query: `?org=${orgA}`, shown: ofOrgs(orgA).length, on: [orgA] });
      same(await old.$eval('.timeline', (el) => el.className), 'timeline', 'no filter classes on the list');
      await orgButton(old, orgB).click();
      await expectView(old, { slugs: union(), query: search(old), shown: union().length, on: [orgA, orgB] });
      await old.close();
    });

    await test('reload restores the filtered view', async () => {
      await page.reload();
      const union = ofOrgs(orgA, orgB);
      await expectView(page, { slugs: union, query: search(page), shown: union.length, on: [orgA, orgB] });
      assert(search(page).startsWith('?org='), `query kept: ${search(page)}`);
    });

    await test('back and forward restore each view', async () => {
      await page.goBack();
      await expectView(page, { slugs: ofOrgs(orgA), query: `?org=${orgA}`, shown: ofOrgs(orgA).length, on: [orgA] });
      await page.goBack();
      await expectView(page, { slugs: all, query: '', shown: null, on: ['all'] });
      await page.goForward();
      await expectView(page, { slugs: ofOrgs(orgA), query: `?org=${orgA}`, shown: ofOrgs(orgA).length, on: [orgA] });
    });

    await test('clicking a pressed organisation again releases it', async () => {
      await orgButton(page, orgA).click();
      await expectView(page, { slugs: all, query: '', shown: null, on: ['all'] });
    });

    await test('"All" resets every filter', async () => {
      await orgButton(page, orgB).click();
      if (majors.length) await page.locator('.filter-bar button.filter-major').click();
      await page.locator('.filter-bar button.filter-all').click();
      await expectView(page, { slugs: all, query: '', shown: null, on: ['all'] });
    });

    await test('a shared ?org= link opens filtered', async () => {
      const other = await newPage(context);
      await other.goto(`${home}?org=${orgB},${orgA}`);
      const union = ofOrgs(orgA, orgB);
      await expectView(other, { slugs: union, query: `?org=${orgB},${orgA}`, shown: union.length, on: [orgA, orgB] });
      await other.goto(`${home}?org=no-such-org`);
      await expectView(other, { slugs: all, query: '?org=no-such-org', shown: null, on: ['all'] });
      await cspViolations(other);
      await other.close();
    });
  } else {
    await test('the site has two organisations to filter on', async () => {
      throw new Error(`need two organisations whose events differ; found ${JSON.stringify(orgsByCount)}`);
    });
  }

  if (tag) {
    await test(`the tag filter "${tag}" shows exactly the events with that tag`, async () => {
      await page.goto(home);
      await tagButton(page, tag).click();
      const query = `?tag=${encodeURIComponent(tag)}`;
      await expectView(page, { slugs: ofTags(tag), query, shown: ofTags(tag).length, on: [tag] });
      await page.reload();
      await expectView(page, { slugs: ofTags(tag), query, shown: ofTags(tag).length, on: [tag] });
    });

    if (orgA) {
      await test('an organisation and a tag together show the events that have both', async () => {
        await orgButton(page, orgA).click();
        const both = where((e) => e.orgs.includes(orgA) && e.tags.includes(tag));
        const query = `?org=${orgA}&tag=${encodeURIComponent(tag)}`;
        await expectView(page, { slugs: both, query, shown: both.length, on: [orgA, tag] });
      });

      await test('tag counts follow the organisation filter', async () => {
        const counts = () => page.$$eval('.filter-bar button.filter-tag', (bs) =>
          Object.fromEntries(bs.map((b) => [b.dataset.tag, b.querySelector('.count').textContent.trim()])));
        const expected = (shown, org) => Object.fromEntries(Object.keys(shown).map((t) =>
          [t, String(where((e) => (!org || e.orgs.includes(org)) && e.tags.includes(t)).length)]));
        const filtered = await counts();
        same(filtered, expected(filtered, orgA), `tag counts with "${orgA}"`);
        await page.locator('.filter-bar button.filter-all').click();
        const every = await counts();
        same(every, expected(every, null), 'tag counts with every organisation');
      });
    }
  }

  if (majors.length) {
    await test('"key moments only" shows exactly the major events', async () => {
      await page.goto(home);
      await page.locator('.filter-bar button.filter-major').click();
      await expectView(page, { slugs: majors, query: '?major=1', shown: majors.length, on: ['major'] });
      await page.goBack();
      await expectView(page, { slugs: all, query: '', shown: null, on: ['all'] });
    });
  }

  // The timeline and a period page both chart the events they show.
  await test('every chart mark links to an event on the page, and every event has a mark', async () => {
    await page.goto(home);
    const hrefs = await page.$$eval('svg.chart a', (as) => as.map((a) => a.getAttribute('href')));
    assert(hrefs.length >= all.length, `${hrefs.length} marks for ${all.length} events`);
    same([...new Set(hrefs.map((h) => h.replace(/^#/, '')))].sort(), [...all].sort(), 'events the marks link to');
    const names = await page.$$eval('svg.chart a', (as) => as.map((a) => a.querySelector('title')?.textContent || ''));
    assert(names.every((n) => n.trim().length > 0), 'every mark has an accessible name');
  });

  const jump = async (slug) => {
    const mark = page.locator(`svg.chart a[href="#${slug}"]`).first();
    await mark.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction((s) => location.hash === `#${s}`, slug);
    const place = await page.$eval(`[id="${slug}"]`, (el) => {
      const r = el.getBoundingClientRect();
      return { top: r.top, visible: el.checkVisibility(), target: el.matches(':target'), height: innerHeight };
    });
    assert(place.visible, `#${slug} is visible`);
    assert(place.target, `#${slug} is the :target`);
    assert(place.top >= -1 && place.top < place.height, `#${slug} is in view (top ${place.top})`);
  };

  await test('chart links jump to their events', async () => {
    for (const slug of [all[all.length - 1], all[0], all[Math.floor(all.length / 2)]]) await jump(slug);
  });

  if (orgA && ofOrgs(orgA).length < all.length) {
    await test('a chart link to an event the filter hides shows everything and jumps there', async () => {
      await page.goto(`${home}?org=${orgA}`);
      const hidden = all.find((s) => !ofOrgs(orgA).includes(s));
      const marks = page.locator(`svg.chart a[href="#${hidden}"]`);
      assert(await marks.first().evaluate((a) => a.classList.contains('filtered-out')), 'its mark is dimmed');
      await jump(hidden);
      same(await visibleEvents(page), all, 'visible events');
      same(await statusText(page), shownText(null), 'live region');
      same(search(page), '', 'query string');
      await page.goBack();
      await expectView(page, { slugs: ofOrgs(orgA), query: `?org=${orgA}`, shown: ofOrgs(orgA).length, on: [orgA] });
    });
  }

  if (orgA && ofOrgs(orgA).length < all.length) {
    await test('a shared link to an event its filter hides shows everything and goes there', async () => {
      const hidden = all.filter((s) => !ofOrgs(orgA).includes(s));
      const note = data.events.find((e) => hidden.includes(e.slug) && e.notes.length)?.notes[0].id;
      // The history of a new tab that opened the page plainly, to compare with.
      const plain = await newPage(context);
      await plain.goto(home);
      const entries = await plain.evaluate(() => history.length);
      await plain.close();
      for (const id of [hidden[hidden.length - 1], hidden[0], note].filter(Boolean)) {
        const other = await newPage(context);
        await other.goto(`${home}?org=${orgA}#${id}`);
        await other.waitForFunction(() => [...document.querySelectorAll('.timeline article.event')].every((a) => a.checkVisibility()));
        await expectView(other, { slugs: all, query: '', shown: null, on: ['all'] });
        same(decodeURIComponent(new URL(other.url()).hash), `#${id}`, 'fragment');
        same(await other.evaluate(() => history.length), entries, 'history entries (the address is replaced)');
        const place = await other.$eval(`[id="${id}"]`, (el) => {
          const r = el.getBoundingClientRect();
          return { top: r.top, visible: el.checkVisibility(), target: el.matches(':target'), height: innerHeight };
        });
        assert(place.visible, `#${id} is visible`);
        assert(place.target, `#${id} is the :target`);
        assert(place.top >= 0 && place.top < place.height, `#${id} is in view (top ${place.top})`);
        await other.close();
      }
    });

    await test('a shared link to an event its filter shows keeps the filter and goes there', async () => {
      const shown = ofOrgs(orgA);
      const id = shown[shown.length - 1];
      const other = await newPage(context);
      await other.goto(`${home}?org=${orgA}#${id}`);
      await expectView(other, { slugs: shown, query: `?org=${orgA}`, shown: shown.length, on: [orgA] });
      await other.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const place = await other.$eval(`[id="${id}"]`, (el) => ({ top: el.getBoundingClientRect().top, target: el.matches(':target'), height: innerHeight }));
      assert(place.target, `#${id} is the :target`);
      assert(place.top >= 0 && place.top < place.height, `#${id} is in view (top ${place.top})`);
      await other.close();
    });
  }

  if (pagePath) {
    await test('the period list links to every period page and marks this one', async () => {
      await page.goto(home);
      const links = await page.$$eval('nav.periods a', (as) =>
        as.map((a) => ({ href: a.href, current: a.getAttribute('aria-current') })));
      assert(links.length > 1, `${links.length} periods listed`);
      same(links.filter((l) => l.current === 'page').map((l) => l.href), [home], 'the current period');
      const other = await newPage(context);
      for (const { href } of links) {
        const r = await other.goto(href);
        same(r.status(), 200, `status of ${href}`);
        assert(await other.locator('.timeline article.event').count() > 0, `${href} lists events`);
      }
      await other.close();
    });

    if (orgA) {
      await test('the pager and the period list carry the filter to the other periods, and follow its changes', async () => {
        await page.goto(home);
        await orgButton(page, orgA).click();
        if (tag) await tagButton(page, tag).click();
        const major = siteData.events.some((e) => e.major);
        if (major) await page.locator('.filter-bar button.filter-major').click();
        const on = [orgA, ...(tag ? [tag] : []), ...(major ? ['major'] : [])];
        const query = `?org=${orgA}${tag ? `&tag=${encodeURIComponent(tag)}` : ''}${major ? '&major=1' : ''}`;
        const keep = (e) => e.orgs.includes(orgA) && (!tag || e.tags.includes(tag)) && (!major || e.major);
        const here = where(keep);
        await expectView(page, { slugs: here, query, shown: here.length, on });
        const hrefs = () => page.$$eval('nav.periods a, .period-pager a', (as) => as.map((a) => a.getAttribute('href')));
        for (const href of await hrefs()) assert(href.endsWith(`/index.html${query}`), `a period link carries the filter: ${href}`);

        // The neighbour, through the pager: the same filter, on its own events.
        const neighbour = page.locator('.period-pager a').first();
        const target = new URL(await neighbour.getAttribute('href'), home);
        await neighbour.click();
        await page.waitForURL(target.href);
        const file = decodeURIComponent(target.pathname.slice(1));
        const theirs = eventsIn(file);
        const shownThere = siteData.events.filter((e) => theirs.has(e.slug) && keep(e)).map((e) => e.slug);
        same(await visibleEvents(page), shownThere, `visible events on ${file}`);
        same(search(page), query, `query string on ${file}`);
        same((await pressed(page)).sort(), [...on].sort(), `pressed toggles on ${file}`);
        same(await statusText(page), shownText(shownThere.length, theirs.size), `live region on ${file}`);
        for (const href of await hrefs()) assert(href.endsWith(`/index.html${query}`), `a period link on ${file} carries the filter: ${href}`);

        // Back through the list of periods: this page, filtered as it was.
        const key = pagePath.split('/')[1];
        await page.locator(`nav.periods a[href^="../${key}/index.html"]`).click();
        await page.waitForURL(`${home}${query}`);
        await expectView(page, { slugs: here, query, shown: here.length, on });

        // The links follow the filter as it changes.
        await orgButton(page, orgA).click();
        const without = query.replace(`org=${orgA}&`, '').replace(`?org=${orgA}`, '');
        for (const href of await hrefs()) assert(href.endsWith(`/index.html${without}`), `a period link follows the filter: ${href}`);
        await page.locator('.filter-bar button.filter-all').click();
        for (const href of await hrefs()) assert(href.endsWith('/index.html'), `a period link without a filter: ${href}`);
      });

      await test(`the split timeline's chart bar of "${orgA}" in this period opens this page filtered to it`, async () => {
        await page.goto(`${server.origin}/index.html`);
        const bar = page.locator(`svg.chart a[href="${pagePath}?org=${orgA}"]`);
        same(await bar.count(), 1, 'bars of the organisation in this period');
        const name = await bar.locator('title').textContent();
        // A bar is a month (or year), whose parts may be several pages: it counts them all.
        const group = pagePath.split('/')[1].slice(0, 7);
        const inGroup = siteData.events.filter((e) => e.orgs.includes(orgA) && e.date.value.startsWith(group));
        assert(name.includes(`: ${inGroup.length} `), `the bar's name gives its count (${inGroup.length}): ${name}`);
        await bar.click();
        await page.waitForURL(`**/${pagePath}?org=${orgA}`);
        await expectView(page, { slugs: ofOrgs(orgA), query: `?org=${orgA}`, shown: ofOrgs(orgA).length, on: [orgA] });
      });
    }
  }

  await test('the page does not shift while it loads, filtered or not', async () => {
    const other = await newPage(context);
    for (const query of ['', `?org=${orgA}`, tag ? `?tag=${encodeURIComponent(tag)}` : '?major=1']) {
      await other.goto(`${home}${query}`, { waitUntil: 'load' });
      await other.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 200))));
      const shift = await other.evaluate(() => window.__shift);
      assert(shift < 0.01, `layout shift ${shift.toFixed(4)} loading /${pagePath}${query}`);
    }
    await other.close();
  });

  await test('other pages load without errors', async () => {
    const other = await newPage(context);
    const pages = ['/sources/', `/events/${all[0]}/`, ...data.organisations.slice(0, 2).map((o) => `/orgs/${o.key}/`)];
    for (const p of pages) {
      const r = await other.goto(server.origin + p);
      same(r.status(), 200, `status of ${p}`);
      await cspViolations(other);
    }
    await other.close();
  });

  if (orgA) {
    await test('printed, a filtered page shows every event and the URLs of its sources', async () => {
      const printed = await newPage(context);
      await printed.goto(`${home}?org=${orgA}`);
      same(await visibleEvents(printed), ofOrgs(orgA), 'on screen');
      await printed.emulateMedia({ media: 'print' });
      same(await visibleEvents(printed), all, 'printed');
      const urls = data.events.flatMap((e) => e.notes.filter((n) => n.source?.url).map((n) => n.source.url));
      const shown = await printed.$$eval('.timeline .notes a[href^="http"]', (as) =>
        as.map((a) => getComputedStyle(a, '::after').content));
      assert(urls.length === 0 || shown.length > 0, 'source links in the notes');
      for (const content of shown) assert(/<http/.test(content), `a printed source URL: ${content}`);
      assert(!(await printed.locator('.filter-bar').isVisible()), 'no filters on paper');
      await printed.close();
    });

    await test('opened from disk (file://) the filters and the URL work too', async () => {
      const local = await newPage(context);
      const index = pathToFileURL(path.join(site, pagePath || 'index.html')).href;
      await local.goto(`${index}?org=${orgA}`);
      await expectView(local, { slugs: ofOrgs(orgA), query: `?org=${orgA}`, shown: ofOrgs(orgA).length, on: [orgA] });
      await local.locator('.filter-bar button.filter-all').click();
      await expectView(local, { slugs: all, query: '', shown: null, on: ['all'] });
      await local.goBack();
      await expectView(local, { slugs: ofOrgs(orgA), query: `?org=${orgA}`, shown: ofOrgs(orgA).length, on: [orgA] });
      await local.close();
    });
  }

  await cspViolations(page);
  await context.close();

  // Without JavaScript: everything listed, the filters are links to the organisation pages.
  const noJs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 800 } });
  const plain = await newPage(noJs);
  await test('without JavaScript the page lists every event and the filters are links', async () => {
    await plain.goto(`${home}?org=${orgA}`);
    same(await visibleEvents(plain), all, 'visible events');
    const links = await plain.$$eval('nav.filters a.filter[data-org]', (as) =>
      as.map((a) => [a.dataset.org, a.href]));
    const pageOf = (key) => new URL(`orgs/${key}/index.html`, `${server.origin}/`).href;
    same(links, data.organisations.map((o) => [o.key, pageOf(o.key)]), 'filter links');
    assert(!(await plain.locator('.filter-more').isVisible()), 'tag and key-moment buttons are left out');
    same(await statusText(plain), shownText(null), 'status line');
  });
  if (orgA) {
    await test('without JavaScript an organisation link opens its page with exactly its events', async () => {
      await plain.goto(home);
      await plain.locator(`nav.filters a[data-org="${orgA}"]`).click();
      await plain.waitForURL(`**/orgs/${orgA}/index.html`);
      // The organisation's page has all its events, not only this period's.
      const everyOfOrgA = siteData.events.filter((e) => e.orgs.includes(orgA)).map((e) => e.slug);
      if (await plain.locator('nav.periods').count()) {
        // Split too: its first page lists the periods, and its pages have its events, once.
        same(await visibleEvents(plain), [], 'events on the list of periods');
        const pages = readdirSync(path.join(site, 'orgs', orgA)).filter((f) => f !== 'index.html').sort();
        const shown = pages.flatMap((f) => [...eventsIn(`orgs/${orgA}/${f}`)]);
        same(shown.sort(), [...everyOfOrgA].sort(), 'events on the organisation\'s pages');
      } else {
        same(await visibleEvents(plain), everyOfOrgA, 'events on the organisation page');
      }
    });
  }
  await noJs.close();

  await test('no console errors, failed requests or CSP violations', async () => {
    same([...new Set(problems)], [], 'problems');
  });
} finally {
  clearTimeout(timer);
  await browser.close();
  await server.close();
}

finish(`${site}`);
