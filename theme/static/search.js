// The search box of the timeline, its periods and the organisation pages.
//
// The index is a set of script files under assets/search/ (made by src/render/search.rs) that
// register themselves with `kroniekSearch.add(name, data)`: pages are served with
// `default-src 'self'` and must work from file://, where nothing may be fetched, so each part is
// loaded by adding a <script src>. Only what a query needs is loaded: the manifest, the shard of
// each word (its first two characters), and the files of the results shown.
//
// Without JavaScript the form stays hidden; this script shows it. Results are built with
// textContent, never as HTML: titles are the authors' text.
(function () {
  'use strict';

  const form = document.querySelector('form.site-search[data-index]');
  if (!form) return;
  const input = form.querySelector('input[type="search"]');
  const status = form.querySelector('.search-status');
  const list = form.querySelector('.search-results');
  const more = form.querySelector('.search-more');
  const root = form.dataset.root || '';
  const indexUrl = form.dataset.index;
  const folder = indexUrl.slice(0, indexUrl.lastIndexOf('/') + 1);
  /** Results shown at first, and added by each press of "N more". */
  const PAGE = 10;

  // ---------------------------------------------------------------- loading the index

  const loaded = new Map();
  const waiting = new Map();
  const pending = new Map();

  window.kroniekSearch = {
    add(name, data) {
      loaded.set(name, data);
      const w = waiting.get(name);
      if (w) {
        waiting.delete(name);
        w.resolve(data);
      }
    },
  };

  /** The data of `file` (a name in the manifest, `t-ge.0123abcd.js`, or the manifest's own
   * URL), loaded once: its name is what it registers itself as. */
  function load(file) {
    const name = file.slice(file.lastIndexOf('/') + 1).replace(/\.[0-9a-f]{8}\.js$/, '');
    if (loaded.has(name)) return Promise.resolve(loaded.get(name));
    if (pending.has(name)) return pending.get(name);
    const promise = new Promise((resolve, reject) => {
      waiting.set(name, { resolve, reject });
      const script = document.createElement('script');
      script.src = (file === indexUrl ? '' : folder) + file;
      const fail = () => {
        if (!waiting.has(name)) return;
        waiting.delete(name);
        pending.delete(name);
        reject(new Error(`could not load ${file}`));
      };
      script.onerror = fail;
      // A script that loaded but did not register itself (a stale or foreign file).
      script.onload = fail;
      document.head.appendChild(script);
    });
    pending.set(name, promise);
    return promise;
  }

  let manifest = null;
  function getManifest() {
    if (manifest) return manifest;
    manifest = load(indexUrl);
    manifest.catch(() => { manifest = null; });
    return manifest;
  }

  /** The shards that may hold `word` (and, for a `prefix`, the terms it begins), each a sorted
   * array of [term, postings]. A shard's key begins each of its terms: mostly two characters, a
   * big shard split by more (search.rs `split`). */
  function shards(m, word, prefix) {
    const wanted = m.shards.filter(([key]) => word.startsWith(key) || (prefix && key.startsWith(word)));
    return Promise.all(wanted.map(([, file]) => load(file)));
  }

  // ---------------------------------------------------------------- the words, as the index has them

  /** As src/render/search.rs `normalise`: lowercase, NFKD, combining marks dropped. */
  const normalise = (s) => s.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '');
  const cut = (t, max) => Array.from(t).slice(0, max).join('');

  /** The words of a query, and whether the last one is still being typed (a prefix). */
  function words(query, max) {
    const normal = normalise(query);
    const list = normal.split(/[^\p{Alphabetic}\p{N}]+/u).filter(Boolean).map((t) => cut(t, max));
    const typing = list.length > 0 && /[\p{Alphabetic}\p{N}]$/u.test(normal);
    return { list, typing };
  }

  /** doc -> score of one word in its shards: exact term, or every term it begins (`prefix`). */
  function matches(parts, word, prefix) {
    const found = new Map();
    for (const terms of parts) collect(terms, word, prefix, found);
    return found;
  }

  function collect(terms, word, prefix, found) {
    // A plain scan: shards are small (search.rs `SHARD_BYTES`), and the index's order (by code
    // point) is not JavaScript's (by UTF-16 unit) for every character.
    for (const [term, postings] of terms) {
      const exact = term === word;
      if (!exact && !(prefix && term.startsWith(word))) continue;
      for (let j = 0; j < postings.length; j += 2) {
        const doc = postings[j];
        const mask = postings[j + 1];
        const score = weight(mask) * (exact ? 2 : 1) + (mask & 1 ? 1000 : 0);
        found.set(doc, Math.max(found.get(doc) || 0, score));
      }
    }
  }

  /** A title hit first, then organisation and tag, source, body (bits as in search.rs). */
  function weight(mask) {
    let w = 0;
    if (mask & 1) w += 16;
    if (mask & 2) w += 8;
    if (mask & 4) w += 8;
    if (mask & 8) w += 4;
    if (mask & 16) w += 2;
    return w;
  }

  /** The events that have every word, best first: [doc, score]. */
  async function search(query) {
    const m = await getManifest();
    const { list, typing } = words(query, m.max_term);
    // A single character still being typed would match half the index: wait for more.
    if (list.length === 0 || (list.length === 1 && typing && Array.from(list[0]).length < 2)) {
      return null;
    }
    const prefixAt = (i) => typing && i === list.length - 1 && Array.from(list[i]).length >= 2;
    const loaded = await Promise.all(list.map((w, i) => shards(m, w, prefixAt(i))));
    let scores = null;
    list.forEach((word, i) => {
      const found = matches(loaded[i], word, prefixAt(i));
      if (scores === null) {
        scores = found;
        return;
      }
      const next = new Map();
      for (const [doc, score] of scores) {
        if (found.has(doc)) next.set(doc, score + found.get(doc));
      }
      scores = next;
    });
    // Ties in timeline order.
    return [...scores].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  }

  // ---------------------------------------------------------------- showing the results

  const say = (template, n) => template.replace('{n}', String(n));
  let results = [];
  let shown = 0;
  let latest = 0;

  function announce(text) {
    status.textContent = text;
  }

  /** The docs of results `from`..`to`, each file of them loaded once. */
  async function docs(m, from, to) {
    const wanted = results.slice(from, to).map(([doc]) => doc);
    const files = [...new Set(wanted.map((d) => Math.floor(d / m.per_file)))];
    const chunks = new Map(await Promise.all(files.map(async (f) => [f, await load(m.docs[f])])));
    return wanted.map((d) => chunks.get(Math.floor(d / m.per_file))[d % m.per_file]);
  }

  function item([title, slug, date, orgs]) {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = `${root}events/${encodeURIComponent(slug)}/index.html`;
    a.textContent = title;
    li.append(a);
    const meta = [date, orgs.join(', ')].filter(Boolean).join(' · ');
    if (meta) {
      const span = document.createElement('span');
      span.className = 'search-meta';
      span.textContent = meta;
      li.append(' ', span);
    }
    return li;
  }

  async function showMore(run) {
    const m = await getManifest();
    const to = Math.min(results.length, shown + PAGE);
    const found = await docs(m, shown, to);
    if (run !== latest) return;
    list.append(...found.map(item));
    shown = to;
    list.hidden = shown === 0;
    const rest = results.length - shown;
    more.hidden = rest === 0;
    more.textContent = say(form.dataset.more, rest);
  }

  async function update() {
    const run = ++latest;
    let found;
    try {
      found = await search(input.value);
    } catch (e) {
      if (run === latest) {
        clear();
        announce(form.dataset.failed);
      }
      return;
    }
    if (run !== latest) return;
    clear();
    if (found === null) {
      announce('');
      return;
    }
    results = found;
    try {
      await showMore(run);
    } catch (e) {
      if (run === latest) announce(form.dataset.failed);
      return;
    }
    if (run !== latest) return;
    const n = results.length;
    announce(n === 0 ? form.dataset.none : say(n === 1 ? form.dataset.one : form.dataset.many, n));
  }

  function clear() {
    results = [];
    shown = 0;
    list.replaceChildren();
    list.hidden = true;
    more.hidden = true;
  }

  input.addEventListener('input', update);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    update();
  });
  more.addEventListener('click', async () => {
    const first = shown;
    try {
      await showMore(latest);
    } catch (e) {
      announce(form.dataset.failed);
      return;
    }
    // Keyboard users land on the first new result, not back at the top.
    const next = list.children[first];
    if (next) next.querySelector('a').focus();
  });
  form.hidden = false;
  // A query typed before the script ran, or kept by the browser on going back.
  if (input.value) update();
}());
