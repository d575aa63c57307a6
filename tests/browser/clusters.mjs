// The chart's clusters ("+5", several events folded into one badge) under the filters, in
// headless Chromium: a cluster dims only when the filter hides every event it holds, and its
// link goes to the first of them.
//
//   node tests/browser/clusters.mjs SITE_DIR
//
// SITE_DIR is a built site whose chart has clusters in more than one lane. Exit status: 0 all
// passed, 1 a test failed, 2 a tool is missing. tests/browser.rs runs this.

import path from 'node:path';
import {
  STEP_TIMEOUT, assert, finish, launch, loadChromium, serve, stopAfterTimeout, test,
} from './lib.mjs';

const site = process.argv[2] && path.resolve(process.argv[2]);
if (!site) {
  console.error('usage: node tests/browser/clusters.mjs SITE_DIR');
  process.exit(2);
}
const chromium = loadChromium();
const server = await serve(site);
const browser = await launch(chromium);
const timer = stopAfterTimeout(browser);
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(STEP_TIMEOUT);
  await page.goto(server.origin + '/', { waitUntil: 'load' });

  /** Every cluster of both drawings: its lane's organisation, events, link and whether dimmed. */
  const clusters = () => page.$$eval('svg.chart a.cluster', (as) => as.map((a) => ({
    org: (a.closest('g.lane').getAttribute('class').match(/org-(\S+)/) || [])[1] || null,
    ids: a.dataset.events.split(' '),
    href: a.getAttribute('href'),
    dimmed: a.classList.contains('filtered-out'),
    hidden: a.dataset.events.split(' ').map((id) => !document.getElementById(id).checkVisibility()),
  })));

  await test('the chart has clusters in more than one lane, each linking to its first event', async () => {
    const all = await clusters();
    assert(new Set(all.map((c) => c.org)).size > 1, `clusters in ${new Set(all.map((c) => c.org)).size} lane(s)`);
    for (const c of all) {
      assert(c.href === `#${c.ids[0]}`, `${c.href} is not its first event #${c.ids[0]}`);
      assert(!c.dimmed, 'nothing is dimmed before a filter');
    }
  });

  await test('filtered, a cluster dims exactly when every event it holds is hidden', async () => {
    const first = (await clusters())[0];
    await page.locator(`.filter-bar button[data-org="${first.org}"]`).click();
    const all = await clusters();
    let dimmed = 0;
    for (const c of all) {
      const allHidden = c.hidden.every(Boolean);
      assert(c.dimmed === allHidden, `a cluster of ${c.org} with ${c.hidden.filter(Boolean).length} of ${c.ids.length} hidden: dimmed ${c.dimmed}`);
      if (c.org === first.org) assert(!c.dimmed, `the filtered organisation's cluster is dimmed`);
      dimmed += c.dimmed ? 1 : 0;
    }
    assert(dimmed > 0, 'no cluster of another organisation was dimmed');
  });
} finally {
  clearTimeout(timer);
  await browser.close();
  await server.close();
}
finish(`clusters, ${site}`);
