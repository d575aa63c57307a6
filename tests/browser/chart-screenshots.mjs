// The photographs of scripts/chart-screenshots: the overview chart of one built site, at
// 1280 px and at 320 px wide (the top of the page down to below the chart), light scheme.
//   node tests/browser/chart-screenshots.mjs SITE_DIR OUT_DIR NAME
// writes OUT_DIR/NAME-desktop.png and OUT_DIR/NAME-phone.png.
import path from 'node:path';
import { loadChromium, launch, serve } from './lib.mjs';

const [site, out, name] = process.argv.slice(2);
if (!site || !out || !name) {
  console.error('usage: node tests/browser/chart-screenshots.mjs SITE_DIR OUT_DIR NAME');
  process.exit(2);
}
const chromium = loadChromium();
const server = await serve(path.resolve(site));
const browser = await launch(chromium);
const timer = setTimeout(() => {
  console.error('chart-screenshots: took over 120 s, stopped');
  process.exit(1);
}, 120_000);
try {
  for (const [suffix, width] of [['desktop', 1280], ['phone', 320]]) {
    const context = await browser.newContext({
      viewport: { width, height: 800 }, colorScheme: 'light', reducedMotion: 'reduce', deviceScaleFactor: 2,
    });
    const page = await context.newPage();
    await page.goto(server.origin + '/', { waitUntil: 'load' });
    const figure = page.locator('figure.overview').first();
    const box = await figure.boundingBox();
    if (!box) throw new Error('no chart on the page');
    // From a little above the chart to below its legend, the page's full width.
    const file = path.join(path.resolve(out), `${name}-${suffix}.png`);
    await page.screenshot({ path: file, fullPage: true,
      clip: { x: 0, y: Math.max(0, box.y - 16), width, height: box.height + 32 } });
    console.log(`chart-screenshots: ${file}`);
    await context.close();
  }
} finally {
  clearTimeout(timer);
  await browser.close();
  await server.close();
}
