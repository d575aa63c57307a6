#!/usr/bin/env node
// What the search box loads per query on a built site, and how long until the count is
// announced: for each query, typed at once into a fresh page opened from disk (file://), the
// index files it loaded (manifest, shards, result files: number and bytes) and the median time
// from the input to the announced count over RUNS pages. A measurement, not a test: nothing here passes or fails.
//
//   node scripts/search-loads.mjs SITE_DIR [QUERY…]     (RUNS=5 by default)
//
// Uses the Chromium and playwright-core that scripts/test installs.

import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launch, loadChromium } from '../tests/browser/lib.mjs';

const site = path.resolve(process.argv[2] || '');
const queries = process.argv.slice(3);
if (!process.argv[2] || queries.length === 0) {
  console.error('usage: node scripts/search-loads.mjs SITE_DIR QUERY…');
  process.exit(2);
}
const runs = Number(process.env.RUNS || 5);
const browser = await launch(loadChromium());
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`| query | files loaded | KB loaded | median ms to the count (${runs} runs) | results |`);
console.log('|---|---|---|---|---|');
for (const query of queries) {
  const times = [];
  let files = [];
  let results = '';
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const loaded = [];
    page.on('request', (r) => r.url().includes('/assets/search/') && loaded.push(fileURLToPath(r.url())));
    await page.goto(pathToFileURL(path.join(site, 'index.html')).href);
    // The whole query at once, on a page that has loaded nothing of the index yet.
    const started = await page.evaluate(() => performance.now());
    await page.locator('input[type="search"]').fill(query);
    const ended = await page.waitForFunction(
      () => document.querySelector('.search-status').textContent !== '' && performance.now());
    times.push((await ended.jsonValue()) - started);
    files = [...new Set(loaded)];
    results = await page.locator('.search-status').textContent();
    await context.close();
  }
  const kb = files.reduce((n, f) => n + statSync(f).size, 0) / 1024;
  console.log(`| \`${query}\` | ${files.length} | ${kb.toFixed(0)} | ${median(times).toFixed(1)} | ${results} |`);
}
await browser.close();
