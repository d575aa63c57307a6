#!/usr/bin/env node
// How a generated site opens on a phone: a benchmark, not a test (nothing here fails on a slow
// figure). Builds a site of `--events` events (benches/gen-events.py, 12 organisations) with a
// kroniek binary, serves it on loopback with the strict Content-Security-Policy of the browser
// tests, and opens it in headless Chromium (playwright-core, as tests/browser does) at 390 px
// with the CPU slowed down four times (CDP `Emulation.setCPUThrottlingRate`, as Lighthouse's
// mobile profile does). For each of `--runs` fresh page loads it measures:
//
// - DOMContentLoaded of index.html;
// - DOMContentLoaded of the list page with the filter bar (index.html itself when the timeline
//   is one page, else its first period page);
// - on that page, the time from a click on an organisation filter to the settled page: from
//   just before the click until the second requestAnimationFrame after it, so that the style,
//   layout and paint of the frame that shows the filtered list are counted.
//
// and prints the medians (and the range), with the weight of the heaviest HTML page.
//
//   node benches/mobile.mjs [--events 1000] [--runs 7] [--kroniek target/release/kroniek]
//
// The binary is built first (`cargo build --release`) unless `--kroniek` names one, so that
// two builds (before and after a change) can be measured side by side in one run.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, loadChromium, serve } from '../tests/browser/lib.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const EVENTS = Number(option('events', '1000'));
const RUNS = Math.max(5, Number(option('runs', '7')));
let kroniek = option('kroniek', null);
if (!kroniek) {
  execFileSync('cargo', ['build', '--release', '--quiet'], { cwd: ROOT, stdio: 'inherit' });
  kroniek = path.join(ROOT, 'target/release/kroniek');
}

const work = mkdtempSync(path.join(tmpdir(), 'kroniek-mobile-'));
try {
  const site = path.join(work, 'site');
  const out = path.join(work, 'public');
  execFileSync('python3', [path.join(ROOT, 'benches/gen-events.py'), '--events', String(EVENTS),
    '--orgs', '12', path.join(site, 'content')], { stdio: 'ignore' });
  execFileSync(path.resolve(kroniek), ['build', site, '-o', out], { stdio: 'ignore' });
  const heaviest = htmlFiles(out).map((f) => [statSync(f).size, path.relative(out, f)])
    .sort((a, b) => b[0] - a[0])[0];
  console.log(`${EVENTS} events, built by ${kroniek}: heaviest page ${heaviest[1]} ${kb(heaviest[0])}`);
  await measure(out);
} finally {
  rmSync(work, { recursive: true, force: true });
}

async function measure(out) {
  const server = await serve(out);
  const browser = await launch(loadChromium());
  const samples = { index: [], list: [], click: [] };
  let listPath = null;
  let listBytes = 0;
  try {
    for (let run = 0; run < RUNS; run += 1) {
      const page = await phone(browser);
      samples.index.push(await open(page, `${server.origin}/index.html`));
      if (!listPath) {
        const first = await page.$eval('#_filters', () => null).then(() => 'index.html', async () =>
          page.$eval('nav.periods a', (a) => new URL(a.getAttribute('href'), location.href).pathname.slice(1)));
        listPath = first;
        listBytes = statSync(path.join(out, listPath)).size;
      }
      samples.list.push(listPath === 'index.html' ? samples.index.at(-1)
        : await open(page, `${server.origin}/${listPath}`));
      samples.click.push(await click(page));
      await page.context().close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  console.log(`medians of ${RUNS} runs, 390 px, CPU x4:`);
  console.log(`  DOMContentLoaded, index.html             ${line(samples.index)}`);
  console.log(`  DOMContentLoaded, first list page        ${line(samples.list)}   ${listPath}, ${kb(listBytes)}`);
  console.log(`  organisation filter click to settled     ${line(samples.click)}`);
}

/** A fresh phone-sized page with the CPU slowed down four times. */
async function phone(browser) {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true,
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  return page;
}

/** Opens `url` and returns its DOMContentLoaded time in ms from the start of the navigation. */
async function open(page, url) {
  await page.goto(url, { waitUntil: 'load' });
  return page.evaluate(() => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd);
}

/** Clicks the first organisation filter; ms until the second animation frame after it. */
async function click(page) {
  await page.waitForSelector('button.filter[data-org]');
  return page.evaluate(() => new Promise((resolve) => {
    const button = document.querySelector('button.filter[data-org]');
    const start = performance.now();
    button.click();
    requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - start)));
  }));
}

function line(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return `${ms(median).padStart(8)}   (${ms(sorted[0])}–${ms(sorted.at(-1))})`;
}

function ms(value) {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}

function kb(bytes) {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.round(bytes / 1000)} KB`;
}

function htmlFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return htmlFiles(file);
    return entry.name.endsWith('.html') ? [file] : [];
  });
}
