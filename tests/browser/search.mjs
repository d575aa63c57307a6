// The search box in headless Chromium, under the strict Content-Security-Policy and from
// file://: typing announces the number of results, the results are exactly the events that have
// every word (the last one as a prefix), title hits first, "N more" shows the rest, a result
// leads to the event's page; without JavaScript there is no box.
//
//   node tests/browser/search.mjs SITE_DIR [PAGE]
//
// PAGE is the list page to search from (default index.html). What each query should find is
// worked out here from the site's timeline.json, with the same folding the index uses (a
// second implementation, as an oracle), never from counts written here. Exit status: 0 all
// passed, 1 a test failed, 2 a tool is missing. tests/browser.rs runs this.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  STEP_TIMEOUT, assert, finish, launch, loadChromium, serve, stopAfterTimeout, test,
} from './lib.mjs';

const site = process.argv[2] && path.resolve(process.argv[2]);
if (!site) {
  console.error('usage: node tests/browser/search.mjs SITE_DIR [PAGE]');
  process.exit(2);
}
const pagePath = process.argv[3] || 'index.html';
const data = JSON.parse(readFileSync(path.join(site, 'timeline.json'), 'utf8'));
const chromium = loadChromium();

// ------------------------------------------------------------------ the oracle

const normalise = (s) => s.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '');
const termsOf = (s) => normalise(s).split(/[^\p{Alphabetic}\p{N}]+/u).filter(Boolean)
  .map((t) => Array.from(t).slice(0, 32).join(''));
const text = (html) => (html || '').replace(/<sup class="note-ref".*?<\/sup>/gs, ' ').replace(/<[^>]*>/g, ' ')
  .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
const orgsByKey = new Map(data.organisations.map((o) => [o.key, o]));

/** Every event's terms: its title's apart, for the ranking. */
const indexed = data.events.map((e) => {
  const orgs = e.orgs.map((k) => orgsByKey.get(k)).filter(Boolean);
  const fields = [
    ...orgs.flatMap((o) => [o.name, o.short, o.key]),
    ...e.tags,
    ...e.notes.filter((n) => n.source).flatMap((n) => [n.source.title, n.source.publisher || '']),
    text(e.body_html),
    ...e.notes.filter((n) => n.html).map((n) => text(n.html)),
  ];
  return { slug: e.slug, title: new Set(termsOf(e.title)), all: new Set([...termsOf(e.title), ...fields.flatMap(termsOf)]) };
});

const has = (set, word, prefix) => set.has(word) || (prefix && [...set].some((t) => t.startsWith(word)));

/** The slugs a query should find, in any order, and those whose title has every word. */
function expected(query) {
  const words = termsOf(query);
  const typing = /[\p{Alphabetic}\p{N}]$/u.test(normalise(query));
  const prefix = (i) => typing && i === words.length - 1 && Array.from(words[i]).length >= 2;
  const found = indexed.filter((e) => words.every((w, i) => has(e.all, w, prefix(i))));
  return {
    slugs: found.map((e) => e.slug).sort(),
    inTitle: new Set(found.filter((e) => words.every((w, i) => has(e.title, w, prefix(i)))).map((e) => e.slug)),
  };
}

function countText(n) {
  if (data.language === 'nl') return n === 0 ? 'Geen resultaten' : n === 1 ? '1 resultaat' : `${n} resultaten`;
  return n === 0 ? 'No results' : n === 1 ? '1 result' : `${n} results`;
}

// Queries from the content: a word of a title written with a diacritic, typed without it; and
// the prefix of the body word most events share (so that "N more" is needed).
const accented = data.events.flatMap((e) => e.title.split(/[^\p{L}\p{M}\p{N}]+/u))
  .find((w) => w && normalise(w) !== w.toLowerCase());
const counts = new Map();
for (const e of indexed) for (const t of e.all) if (Array.from(t).length >= 6) counts.set(t, (counts.get(t) || 0) + 1);
const common = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
const commonPrefix = Array.from(common).slice(0, 4).join('');

// ------------------------------------------------------------------ helpers

function same(actual, wanted, what) {
  const a = JSON.stringify(actual);
  const b = JSON.stringify(wanted);
  if (a !== b) throw new Error(`${what}:\n  got      ${a}\n  expected ${b}`);
}

const problems = [];
let server;

async function newPage(context) {
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  page.on('console', (m) => {
    if (m.type() !== 'error' || /favicon\.ico$/.test(m.location().url || '')) return;
    problems.push(`${page.url()}: console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${page.url()}: uncaught ${e.name}: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`${page.url()}: failed request ${r.url()}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`${page.url()}: HTTP ${r.status()} for ${r.url()}`));
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`));
  });
  return page;
}

async function cspViolations(page) {
  for (const v of await page.evaluate(() => window.__csp || [])) problems.push(`${page.url()}: CSP: ${v}`);
}

const box = (page) => page.locator('form[role="search"] input[type="search"]');
const status = (page) => page.locator('form[role="search"] [role="status"]');

/** Types `query` key by key; after the last key, waits for the announced count. */
async function typeQuery(page, query) {
  await box(page).fill('');
  await box(page).pressSequentially(query);
  const want = expected(query);
  await page.waitForFunction((t) => document.querySelector('form[role="search"] [role="status"]').textContent === t,
    countText(want.slugs.length), { timeout: STEP_TIMEOUT }).catch(async () => {
    throw new Error(`status for "${query}": got "${await status(page).textContent()}", expected "${countText(want.slugs.length)}"`);
  });
  return want;
}

/** Every result's slug, pressing "N more" until all are shown, in the order shown. */
async function allResults(page) {
  const more = page.locator('form[role="search"] .search-more');
  for (let i = 0; i < 1000 && await more.isVisible(); i++) {
    const before = await page.locator('.search-results li').count();
    await more.click();
    await page.waitForFunction((n) => document.querySelectorAll('.search-results li').length > n, before);
  }
  return page.$$eval('.search-results li a', (as) => as.map((a) => {
    const m = a.getAttribute('href').match(/events\/([^/]+)\/index\.html$/);
    return m ? decodeURIComponent(m[1]) : `bad href ${a.getAttribute('href')}`;
  }));
}

async function checkQuery(page, query) {
  const want = await typeQuery(page, query);
  const got = await allResults(page);
  same([...got].sort(), want.slugs, `results of "${query}"`);
  // Title hits first: no result without the words in its title before one with them.
  const firstOther = got.findIndex((s) => !want.inTitle.has(s));
  const lastTitle = got.reduce((last, s, i) => (want.inTitle.has(s) ? i : last), -1);
  assert(firstOther === -1 || lastTitle < firstOther, `title hits first for "${query}": ${got.join(', ')}`);
  return got;
}

// ------------------------------------------------------------------ the tests

const browser = await launch(chromium);
const timer = stopAfterTimeout(browser);
try {
  server = await serve(site);
  const home = `${server.origin}/${pagePath}`;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await newPage(context);
  await page.goto(home);

  await test('the search box is shown, labelled, in a search landmark', async () => {
    assert(await box(page).isVisible(), 'a visible search box');
    same(await page.locator('label[for="_search"]').count(), 1, 'a label for the box');
  });

  if (accented) {
    await test(`"${normalise(accented)}" (typed without diacritics) finds "${accented}"`, async () => {
      const got = await checkQuery(page, normalise(accented));
      assert(got.length > 0, 'at least one result');
    });
  }

  await test(`typing "${commonPrefix}" key by key finds every event with a word that begins so, N more included`, async () => {
    for (let n = 2; n <= Array.from(commonPrefix).length; n++) {
      await checkQuery(page, Array.from(commonPrefix).slice(0, n).join(''));
    }
  });

  await test('two words: every event with both, the last one as a prefix', async () => {
    const [a, b] = termsOf(data.events[data.events.length - 1].title).filter((t) => t.length > 2);
    if (a && b) await checkQuery(page, `${a} ${b.slice(0, 3)}`);
    await checkQuery(page, `${common} ${common}`);
  });

  await test('a word that no event has: "no results"', async () => {
    await checkQuery(page, 'qqxqzv');
    assert(!(await page.locator('.search-results').isVisible()), 'no result list');
  });

  await test('each of the first titles, typed in full, finds its event first', async () => {
    for (const e of data.events.slice(0, 6)) {
      await checkQuery(page, e.title);
      same(await page.locator('.search-results li a').first().textContent(), e.title, `first result for "${e.title}"`);
    }
  });

  await test('a result leads to the event page', async () => {
    const title = data.events[0].title;
    await typeQuery(page, title);
    const first = page.locator('.search-results li a').first();
    same(await first.textContent(), `${title}`, 'the first result is the event whose title was typed');
    await first.click();
    await page.waitForURL(`**/events/${data.events[0].slug}/index.html`);
    same((await page.locator('h1').first().textContent()).trim().endsWith(title), true, 'its page');
    await page.goBack();
  });

  await cspViolations(page);
  await context.close();

  await test('opened from disk (file://) the search works and its results open', async () => {
    const local = await browser.newContext();
    const p = await newPage(local);
    await p.goto(pathToFileURL(path.join(site, pagePath)).href);
    await checkQuery(p, commonPrefix);
    const first = p.locator('.search-results li a').first();
    await first.click();
    await p.waitForURL(/^file:.*\/events\/[^/]+\/index\.html$/);
    await cspViolations(p);
    await local.close();
  });

  await test('an index file that cannot be loaded is said, not a silent empty list', async () => {
    const broken = await browser.newContext();
    // Not through newPage: these failed requests are the point, not problems.
    const p = await broken.newPage();
    p.setDefaultTimeout(STEP_TIMEOUT);
    await p.route('**/assets/search/t-*', (route) => route.abort());
    await p.goto(home);
    await box(p).fill(commonPrefix);
    const failed = data.language === 'nl' ? 'Zoeken lukt nu niet' : 'Search is not available';
    await p.waitForFunction((t) => document.querySelector('.search-status').textContent.startsWith(t), failed);
    assert(!(await p.locator('.search-results').isVisible()), 'no results shown');
    // Once the file can be loaded again, the next key searches as usual.
    await p.unroute('**/assets/search/t-*');
    await box(p).press('End');
    await box(p).type(' ');
    await p.waitForFunction((t) => document.querySelector('.search-status').textContent === t,
      countText(expected(`${commonPrefix} `).slugs.length));
    await broken.close();
  });

  await test('without JavaScript there is no search box', async () => {
    const noJs = await browser.newContext({ javaScriptEnabled: false });
    const p = await newPage(noJs);
    await p.goto(home);
    same(await p.locator('form[role="search"]').count(), 1, 'the form is in the page');
    assert(!(await p.locator('form[role="search"]').isVisible()), 'but not shown');
    assert(!(await p.locator('input[type="search"]').isVisible()), 'no box to type in');
    await noJs.close();
  });

  await test('no console errors, failed requests or CSP violations', async () => {
    same([...new Set(problems)], [], 'problems');
  });
} finally {
  clearTimeout(timer);
  await browser.close();
  await server.close();
}

finish(`${site} ${pagePath}`);
