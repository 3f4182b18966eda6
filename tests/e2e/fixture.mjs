// The shared setup of the end-to-end test files: the release build (KINDLING_DIST) served
// under a sub-path, and one headless Chromium, for the whole file.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist } from './server.mjs';
import { KindlingPage, cspViolations, launch } from './browser.mjs';

/** Registers the file's before/after hooks; the returned object holds `server` ({ url })
 * and `browser` once they have started, and `open(options)`, which opens the page in a new
 * tab (`KindlingPage.open`; `options.context` picks the browser or context, the file's
 * browser by default). */
export function useReleaseBuild() {
  const env = {
    server: undefined,
    browser: undefined,
    open: (options = {}) => KindlingPage.open(options.context ?? env.browser, env.server, options),
  };
  before(async () => {
    const dist = process.env.KINDLING_DIST;
    assert.ok(dist, 'KINDLING_DIST must name the dist/ folder to test (cargo xtask test sets it)');
    env.server = await serveDist(dist, '/kindling/');
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
    assert.deepEqual(cspViolations, [], 'no Content-Security-Policy violation while the tests ran');
  });
  return env;
}
