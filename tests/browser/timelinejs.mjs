// TimelineJS3 (Knight Lab's viewer, npm @knight-lab/timelinejs, installed by scripts/test) reads
// `kroniek export --format timelinejs`: one slide per event plus the title slide, the headlines
// and dates as exported, no errors. Usage: node timelinejs.mjs EXPORT.json TIMELINEJS_DIST
//
// The viewer, the export and a small page that starts it are copied into a folder of the
// test's own and served on loopback without a CSP (TimelineJS sets inline styles).

import { mkdtempSync, writeFileSync, readFileSync, cpSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadChromium, launch, test, assert, finish, stopAfterTimeout, STEP_TIMEOUT } from './lib.mjs';

const [exported, dist] = process.argv.slice(2);
const data = JSON.parse(readFileSync(exported, 'utf8'));
const folder = mkdtempSync(path.join(tmpdir(), 'kroniek-timelinejs-'));
cpSync(dist, path.join(folder, 'timelinejs'), { recursive: true });
writeFileSync(path.join(folder, 'data.js'), `window.KRONIEK = ${JSON.stringify(data)};\n`);
writeFileSync(path.join(folder, 'start.js'),
  "window.timeline = new TL.Timeline('timeline-embed', window.KRONIEK, { hash_bookmark: false, font: null, script_path: new URL('timelinejs/js/', location.href).href });\n");
writeFileSync(path.join(folder, 'index.html'), `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>TimelineJS</title>
<link rel="icon" href="data:,"><link rel="stylesheet" href="timelinejs/css/timeline.css"></head>
<body><div id="timeline-embed" style="width: 1000px; height: 700px"></div>
<script src="timelinejs/js/timeline.js"></script><script src="data.js"></script>
<script src="start.js"></script></body></html>
`);

const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };
const server = createServer((req, res) => {
  const file = path.join(folder, path.normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)));
  try {
    const body = readFileSync(file.startsWith(folder) ? file : '/nonexistent');
    res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream' });
    res.end(body);
  } catch (e) {
    res.writeHead(404);
    res.end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await launch(loadChromium());
const timer = stopAfterTimeout(browser);
const page = await browser.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(String(e)));
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
page.on('response', (r) => { if (r.status() >= 400) errors.push(`${r.status()}: ${r.url()}`); });
// The chronology's own images and links (at its base_url) are not TimelineJS's business: they
// are answered with nothing, offline. Any other request elsewhere is an error.
const content = JSON.stringify(data);
await page.route('**/*', (route) => {
  const url = route.request().url();
  if (url.startsWith(origin)) return route.continue();
  if (content.includes(url)) return route.fulfill({ status: 204, body: '' });
  errors.push(`request elsewhere: ${url}`);
  return route.abort();
});
await page.goto(`${origin}/index.html`);

await test('TimelineJS makes a slide of every exported event and the title', async () => {
  await page.waitForFunction(() => document.querySelectorAll('.tl-slide').length > 1, null, { timeout: STEP_TIMEOUT });
  const slides = await page.evaluate(() => document.querySelectorAll('.tl-slide').length);
  assert(slides === data.events.length + 1, `${slides} slides for ${data.events.length} events and a title`);
  const events = await page.evaluate(() => window.timeline.config.events.length);
  assert(events === data.events.length, `TimelineJS read ${events} of ${data.events.length} events`);
});

await test('every headline is shown as exported, in date order', async () => {
  const shown = await page.evaluate(() => [...document.querySelectorAll('.tl-slide:not(.tl-slide-titleslide) .tl-headline')]
    .map((h) => h.textContent.trim()));
  const text = (html) => html.replace(/<[^>]*>/g, '').replace(/&amp;/g, '&').replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").trim();
  const expected = data.events.map((e) => text(e.text.headline));
  assert(JSON.stringify(shown) === JSON.stringify(expected), `shown: ${JSON.stringify(shown)}`);
});

await test('the display dates are the exported ones', async () => {
  const dates = await page.evaluate(() => [...document.querySelectorAll('.tl-slide:not(.tl-slide-titleslide) .tl-headline-date')]
    .map((d) => d.textContent.trim()));
  const expected = data.events.map((e) => e.display_date);
  assert(JSON.stringify(dates) === JSON.stringify(expected), `dates: ${JSON.stringify(dates)}`);
});

await test('TimelineJS reports no error', async () => {
  assert(errors.length === 0, errors.join('\n'));
  const message = await page.evaluate(() => document.querySelector('.tl-message-content')?.textContent || '');
  assert(!/error/i.test(message), message);
});

clearTimeout(timer);
await browser.close();
server.close();
rmSync(folder, { recursive: true, force: true });
finish('timelinejs');
