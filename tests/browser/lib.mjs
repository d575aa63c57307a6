// Shared by the browser tests (tests/browser/*.mjs) and scripts/screenshots: where Chromium
// and playwright-core are, a tiny static file server with a strict Content-Security-Policy, and
// the tests' own runner (`test`, `assert`, a time limit, the tally).
//
// playwright-core is the copy `scripts/check-site --install` puts in its cache (pinned there);
// Chromium is the Debian package. Neither is downloaded here: when one is missing, the message
// says to run scripts/test, which installs both.

import { createRequire } from 'node:module';
import { existsSync, createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { homedir } from 'node:os';
import path from 'node:path';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The strict policy every page is served with: no inline script, no inline style, nothing from
 * elsewhere. */
export const CSP = "default-src 'self'; script-src 'self'; style-src 'self'";

/** The folder where `scripts/check-site --install` keeps its npm packages (same rules). */
export function checkSiteCache() {
  if (process.env.CHECK_SITE_CACHE) return process.env.CHECK_SITE_CACHE;
  const base = process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache');
  return path.join(base, 'check-site');
}

/** playwright-core's `chromium`, or an exit with a message that says what to do. */
export function loadChromium() {
  const cache = checkSiteCache();
  if (!existsSync(CHROMIUM)) missing(`${CHROMIUM} (Debian package chromium)`);
  let playwright;
  try {
    playwright = createRequire(path.join(cache, 'package.json'))('playwright-core');
  } catch (e) {
    missing(`playwright-core in ${cache}/node_modules`);
  }
  return playwright.chromium;
}

function missing(what) {
  console.error(`${what} is missing: run scripts/test (or scripts/check-site --install)`);
  process.exit(2);
}

/** Launches headless Chromium with the arguments check-site uses. */
export async function launch(chromium) {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.json': 'application/json',
  '.xml': 'application/xml', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp',
  '.txt': 'text/plain; charset=utf-8', '.pdf': 'application/pdf',
};

/** Serves the folder `root` on 127.0.0.1 (a free port) with the CSP header. A folder serves its
 * index.html; anything else missing gets 404.html with status 404. Returns { origin, close }. */
export async function serve(root) {
  const server = createServer((req, res) => {
    let file = null;
    try {
      const pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      const candidate = path.join(root, path.normalize(pathname));
      if (candidate === root || candidate.startsWith(root + path.sep)) {
        file = existsSync(candidate) && statSync(candidate).isDirectory()
          ? path.join(candidate, 'index.html') : candidate;
      }
    } catch (e) {
      file = null;
    }
    let code = 200;
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      code = 404;
      file = path.join(root, '404.html');
    }
    const headers = { 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store' };
    if (!existsSync(file)) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' });
      return res.end('not found');
    }
    res.writeHead(code, { ...headers, 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}

// ------------------------------------------------------------------ the test runner

/** Longest wait for one step of a test, and for a whole run. */
export const STEP_TIMEOUT = 10_000;
export const TOTAL_TIMEOUT = 120_000;

const results = [];

/** Runs one named test and prints `ok - name`, or `not ok - name` and why. */
export async function test(name, body) {
  try {
    await body();
    results.push({ name, ok: true });
    console.log(`ok - ${name}`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`not ok - ${name}\n  ${String(e && e.message || e).split('\n').join('\n  ')}`);
  }
}

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** Stops the run (exit 1) when it takes over TOTAL_TIMEOUT; returns the timer to clear. */
export function stopAfterTimeout(browser) {
  return setTimeout(async () => {
    console.log(`not ok - the run took over ${TOTAL_TIMEOUT / 1000} s and was stopped`);
    await browser.close().catch(() => {});
    process.exit(1);
  }, TOTAL_TIMEOUT);
}

/** Prints how many tests passed and failed (`what` says of which run) and exits: 1 on a failure. */
export function finish(what) {
  const failed = results.filter((r) => !r.ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed (${what})`);
  process.exit(failed ? 1 : 0);
}
