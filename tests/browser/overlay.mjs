// The preview's error overlay (src/serve/http.rs), shown over the last good build when a
// rebuild fails, judged by axe-core in headless Chromium as scripts/check-site judges pages:
// every rule, in light mode, and colour contrast in dark mode; and it must be what a keyboard
// and a screen reader meet (an alert, a heading, the messages as text).
//
//   node tests/browser/overlay.mjs URL
//
// URL is a page of a running `kroniek serve` whose last build failed. Exit status: 0 passed,
// 1 failed, 2 a tool is missing. tests/browser.rs starts the preview and runs this.

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  STEP_TIMEOUT, assert, checkSiteCache, finish, launch, loadChromium, stopAfterTimeout, test,
} from './lib.mjs';

const url = process.argv[2];
if (!url) {
  console.error('usage: node tests/browser/overlay.mjs URL');
  process.exit(2);
}
const chromium = loadChromium();
let axeSource;
try {
  const require = createRequire(path.join(checkSiteCache(), 'package.json'));
  axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
} catch (e) {
  console.error(`axe-core is missing in ${checkSiteCache()}: run scripts/test`);
  process.exit(2);
}

const browser = await launch(chromium);
const timer = stopAfterTimeout(browser);
try {
  for (const scheme of ['light', 'dark']) {
    await test(`the error overlay passes axe (${scheme})`, async () => {
      const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      page.setDefaultTimeout(STEP_TIMEOUT);
      await page.goto(url, { waitUntil: 'load' });
      const overlay = page.locator('#kroniek-errors');
      assert(await overlay.isVisible(), 'the overlay is shown');
      assert((await overlay.getAttribute('role')) === 'alert', 'announced as an alert');
      assert(/error/.test(await overlay.locator('pre').textContent()), 'the messages are text');
      await page.evaluate(axeSource);
      const options = scheme === 'light'
        ? { resultTypes: ['violations'] }
        : { runOnly: ['color-contrast'], resultTypes: ['violations'] };
      const result = await page.evaluate((o) => window.axe.run(document, o), options);
      const found = result.violations.map((v) =>
        `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`);
      assert(found.length === 0, `axe found:\n  ${found.join('\n  ')}`);
      await context.close();
    });
  }
} finally {
  clearTimeout(timer);
  await browser.close();
}

finish(url);
