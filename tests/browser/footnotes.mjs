// Footnotes of several paragraphs in headless Chromium: each paragraph after the first starts
// on a line of its own (the theme's `.footnote > p` was inline, so they ran together), and a
// one-paragraph footnote stays on the line of its number.
//
//   node tests/browser/footnotes.mjs SITE_DIR PAGE...
//
// SITE_DIR is a built site or a folder holding the single-file HTML export; each PAGE (relative
// to it) must have a footnote of three paragraphs. Exit status: 0 all passed, 1 a test failed,
// 2 a tool is missing. tests/browser.rs runs this.

import path from 'node:path';
import { STEP_TIMEOUT, assert, finish, launch, loadChromium, serve, stopAfterTimeout, test } from './lib.mjs';

const site = process.argv[2] && path.resolve(process.argv[2]);
const pages = process.argv.slice(3);
if (!site || pages.length === 0) {
  console.error('usage: node tests/browser/footnotes.mjs SITE_DIR PAGE...');
  process.exit(2);
}
const chromium = loadChromium();
const server = await serve(site);
const browser = await launch(chromium);
const timer = stopAfterTimeout(browser);
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  for (const file of pages) {
    await page.goto(`${server.origin}/${file}`);
    const notes = await page.evaluate(() => [...document.querySelectorAll('.footnote')].map((note) => {
      const paragraphs = [...note.children].filter((c) => c.localName === 'p');
      const boxes = paragraphs.map((p) => p.getBoundingClientRect());
      const number = note.closest('li').getBoundingClientRect();
      return { count: paragraphs.length, boxes: boxes.map((b) => ({ top: b.top, bottom: b.bottom, left: b.left })), liTop: number.top };
    }));
    await test(`${file}: each paragraph of a long footnote starts on a line of its own`, async () => {
      const long = notes.filter((n) => n.count >= 3);
      assert(long.length > 0, `no footnote of three paragraphs on ${file}`);
      for (const note of long) {
        for (let i = 1; i < note.boxes.length; i += 1) {
          assert(note.boxes[i].top >= note.boxes[i - 1].bottom,
            `paragraph ${i + 1} starts at ${note.boxes[i].top}, above the end of paragraph ${i} (${note.boxes[i - 1].bottom})`);
        }
      }
    });
    await test(`${file}: a one-paragraph footnote stays on its number's line`, async () => {
      const short = notes.filter((n) => n.count === 1);
      assert(short.length > 0, `no one-paragraph footnote on ${file}`);
      for (const note of short) {
        assert(Math.abs(note.boxes[0].top - note.liTop) < 4, `starts at ${note.boxes[0].top}, its item at ${note.liTop}`);
      }
    });
  }
} finally {
  clearTimeout(timer);
  await browser.close();
  await server.close();
}
finish('footnotes');
