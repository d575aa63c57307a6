// The photographs of scripts/screenshots: node tests/browser/screenshots.mjs SITE_DIR OUT_DIR
import path from 'node:path';
import { loadChromium, launch, serve } from './lib.mjs';

const [site, out] = process.argv.slice(2).map((p) => path.resolve(p));
if (!site || !out) {
  console.error('usage: node tests/browser/screenshots.mjs SITE_DIR OUT_DIR');
  process.exit(2);
}
const chromium = loadChromium();
const server = await serve(site);
const browser = await launch(chromium);
const timer = setTimeout(() => {
  console.error('screenshots: took over 120 s, stopped');
  process.exit(1);
}, 120_000);
try {
  const shots = [
    { file: 'timeline-desktop.png', width: 1280, height: 2200, scheme: 'light' },
    { file: 'timeline-phone.png', width: 320, height: 3200, scheme: 'light' },
    { file: 'timeline-dark.png', width: 1280, height: 2200, scheme: 'dark' },
  ];
  for (const shot of shots) {
    const context = await browser.newContext({
      viewport: { width: shot.width, height: 800 }, colorScheme: shot.scheme,
      reducedMotion: 'reduce', deviceScaleFactor: 1,
    });
    const page = await context.newPage();
    await page.goto(server.origin + '/', { waitUntil: 'load' });
    // The top of the page: title, intro, chart, filters and the first events. The whole
    // page would be many screens long and say no more.
    const height = Math.min(await page.evaluate(() => document.documentElement.scrollHeight), shot.height);
    await page.screenshot({ path: path.join(out, shot.file), fullPage: true,
      clip: { x: 0, y: 0, width: shot.width, height } });
    console.log(`screenshots: ${path.join(out, shot.file)}`);
    await context.close();
  }
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.origin + '/', { waitUntil: 'load' });
  await page.emulateMedia({ media: 'print' });
  await page.pdf({ path: path.join(out, 'timeline-print.pdf'), format: 'A4', printBackground: false,
    margin: { top: '15mm', bottom: '15mm', left: '15mm', right: '15mm' } });
  console.log(`screenshots: ${path.join(out, 'timeline-print.pdf')}`);
  await context.close();
} finally {
  clearTimeout(timer);
  await browser.close();
  await server.close();
}
