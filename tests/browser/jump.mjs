// In-page jumps in headless Chromium: a chart mark, a footnote marker and a footnote's
// back-link each scroll their target into view *below* the sticky day heading, not under it.
//
//   node tests/browser/jump.mjs SITE_DIR [PAGE]
//
// SITE_DIR is a built site (`kroniek build`); PAGE is the list page to test, relative to it
// (default: the timeline). Each jump is made at 1280 px, at 320 px, and at 480 and 320 px with
// the text at 200 % (the browser's default font size, as a reader may set it): the target's top
// edge must be at or below the bottom of its day's heading, and the point just inside its
// top-left corner must be the target itself (or something in it), not the heading.
// Exit status: 0 all passed, 1 a test failed, 2 a tool is missing. tests/browser.rs runs this.

import path from 'node:path';
import {
  STEP_TIMEOUT, assert, finish, launch, loadChromium, serve, stopAfterTimeout, test,
} from './lib.mjs';

const site = process.argv[2] && path.resolve(process.argv[2]);
if (!site) {
  console.error('usage: node tests/browser/jump.mjs SITE_DIR [PAGE]');
  process.exit(2);
}
const pagePath = process.argv[3] || '';
const chromium = loadChromium();

/** Where `id` is after a jump, and what covers it. */
function place(page, id) {
  return page.evaluate((id) => {
    const el = document.getElementById(id);
    // An inline target (a footnote marker) may wrap: its first line box is where it starts.
    const r = el.getClientRects()[0] || el.getBoundingClientRect();
    const heading = el.closest('.day')?.querySelector('.day-title');
    const h = heading && heading !== el ? heading.getBoundingClientRect() : null;
    const hit = document.elementFromPoint(r.left + 2, r.top + 2);
    const describe = (n) => n && `<${n.localName}${n.id ? ` id="${n.id}"` : ''}${n.className && typeof n.className === 'string' ? ` class="${n.className}"` : ''}>`;
    return {
      top: r.top,
      bottom: r.bottom,
      headingBottom: h ? h.bottom : null,
      covered: !(hit && (hit === el || el.contains(hit))),
      hit: describe(hit),
      target: el.matches(':target'),
      height: innerHeight,
      scrolled: scrollY,
    };
  }, id);
}

/** Asserts that `id` is the target, in view, below its sticky heading and not covered. */
async function expectInView(page, id) {
  await page.waitForFunction((id) => decodeURIComponent(location.hash.slice(1)) === id, id);
  // Let a scroll settle (there is no smooth scrolling; one frame is enough).
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const p = await place(page, id);
  const where = `#${id} (top ${p.top.toFixed(1)}, heading bottom ${p.headingBottom?.toFixed(1)}, scrollY ${p.scrolled})`;
  assert(p.target, `${where} is the :target`);
  assert(p.top >= -0.5 && p.top < p.height, `${where} is in view`);
  if (p.headingBottom !== null) assert(p.top >= p.headingBottom - 0.5, `${where} starts below its day heading`);
  assert(!p.covered, `${where}: the point inside its top-left corner is ${p.hit}, not the target`);
}

/** Scrolls to the top of the page, so that every jump has to move. */
const toTop = (page) => page.evaluate(() => window.scrollTo(0, 0));

const server = await serve(site);
const home = `${server.origin}/${pagePath}`;
const browser = await launch(chromium);
const timer = stopAfterTimeout(browser);

const views = [
  { name: '1280 px', width: 1280, height: 800 },
  { name: '320 px', width: 320, height: 640 },
  // 15rem wide: a heading of two lines, still sticky.
  { name: '480 px, text at 200 %', width: 480, height: 800, fontSize: 32 },
  // 10rem wide: the heading scrolls with the page.
  { name: '320 px, text at 200 %', width: 320, height: 640, fontSize: 32 },
];

try {
  for (const view of views) {
    const context = await browser.newContext({ viewport: { width: view.width, height: view.height }, reducedMotion: 'reduce' });
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT);
    // A reader's larger text: the browser's default font size, which every rem of the theme
    // and of its media queries follows.
    if (view.fontSize) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Page.setFontSizes', { fontSizes: { standard: view.fontSize } });
    }
    await page.goto(home);
    if (view.fontSize) {
      const size = await page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
      assert(size === `${view.fontSize}px`, `the root font size is ${size}, not ${view.fontSize}px`);
    }

    // Events that are not the first of their day: the day heading is stuck over them, not in
    // the flow above them. Then the first and the last event, which sit at the edges.
    const { later, first, last } = await page.evaluate(() => {
      const events = [...document.querySelectorAll('.timeline article.event')];
      const later = events.filter((e) => e.previousElementSibling?.matches('article.event')).map((e) => e.id);
      return { later, first: events[0]?.id, last: events[events.length - 1]?.id };
    });
    const picks = [...new Set([later[Math.floor(later.length / 2)], later[later.length - 1], first, last].filter(Boolean))];

    await test(`${view.name}: chart marks jump to their events below the sticky day heading`, async () => {
      assert(later.length > 0, 'the page has a day with more than one event');
      for (const slug of picks) {
        await toTop(page);
        // The chart is drawn wide and narrow and the stylesheet shows one: the mark one sees.
        const mark = page.locator(`svg.chart a[href="#${slug}"]:visible`).first();
        await mark.focus();
        await page.keyboard.press('Enter');
        await expectInView(page, slug);
      }
    });

    // Footnote markers in the middle of the page, whose notes are further down.
    const refs = await page.$$eval('.timeline .day:not(:first-child) sup.note-ref a[id]', (as) =>
      as.map((a) => ({ ref: a.id, note: decodeURIComponent(a.getAttribute('href').slice(1)) })));
    const picked = [refs[Math.floor(refs.length / 2)], refs[refs.length - 1]].filter(Boolean);

    await test(`${view.name}: a footnote marker jumps to its note, and the note's back-link to the marker, below the sticky day heading`, async () => {
      assert(picked.length > 0, 'the page has footnote markers after its first day');
      for (const { ref, note } of picked) {
        await toTop(page);
        await page.locator(`[id="${ref}"]`).click();
        await expectInView(page, note);
        // Scroll away, so that the back-link has to move the page.
        await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
        await page.locator(`[id="${note}"] a.backref[href="#${ref}"]`).click();
        await expectInView(page, ref);
      }
    });

    // Opened at an event far down: the days above it are not laid out yet
    // (`content-visibility: auto`, their height guessed), and the event must still be where the
    // address says once they have been, below its heading.
    await test(`${view.name}: a page opened at an event far down shows it below the sticky day heading`, async () => {
      for (const slug of [...new Set([later[later.length - 1], last].filter(Boolean))]) {
        const fresh = await context.newPage();
        fresh.setDefaultTimeout(STEP_TIMEOUT);
        await fresh.goto(`${home}#${slug}`, { waitUntil: 'load' });
        await fresh.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 300)))));
        await expectInView(fresh, slug);
        await fresh.close();
      }
    });

    await test(`${view.name}: a link to a day shows its heading whole`, async () => {
      const day = await page.$eval('.timeline .day:nth-child(2) .day-title', (h) => h.id);
      await toTop(page);
      await page.evaluate((id) => { location.hash = id; }, day);
      await expectInView(page, day);
    });

    await context.close();
  }
} finally {
  clearTimeout(timer);
  await browser.close();
  await server.close();
}

finish(`jumps, ${site}${pagePath ? ` ${pagePath}` : ''}`);
