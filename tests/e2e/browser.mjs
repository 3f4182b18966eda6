// Headless Chromium (the system's, driven by playwright-core) and a page object for Kindling.
//
// Tests open the page through `KindlingPage.open`, find nodes by kind (never by the ids a
// template happens to give them) and wait on markers the page sets — `data-ready` when the
// engine has warmed up, `data-autosave` when a change is saved, `data-held` when a paused run
// is held, `data-tasks` when a stopped run's task has ended — never on fixed delays.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(fileURLToPath(new URL('../../xtask/package.json', import.meta.url)));
const { chromium } = require('playwright-core');

const FLAGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Chromium's software WebGPU adapter (SwiftShader): without these flags headless Chromium
 * has `navigator.gpu` but no adapter. */
const WEBGPU_FLAGS = ['--enable-unsafe-webgpu', '--enable-unsafe-swiftshader'];

/** The page size the tests use, a laptop's. */
export const VIEWPORT = { width: 1280, height: 800 };

/** Headless Chromium; with `webgpu`, one that has a (software) WebGPU adapter. */
export async function launch({ webgpu = false } = {}) {
  const args = webgpu ? [...FLAGS, ...WEBGPU_FLAGS] : FLAGS;
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args });
}

/** A browser context kept on disk in `dir` (a profile of its own): unlike the in-memory
 * contexts of `launch()`, its storage quota behaves as a user's does, and the DevTools
 * protocol can lower it (`Storage.overrideQuotaForOrigin`). */
export async function launchPersistent(dir) {
  return chromium.launchPersistentContext(dir, { executablePath: '/usr/bin/chromium', headless: true, args: FLAGS, viewport: VIEWPORT });
}

/** Kindling's page, by its stable `data-testid` surface. */
/** Every Content-Security-Policy violation any page reported in this process (the console's
 * "Refused to …" lines, and the pages' securitypolicyviolation events): the fixture fails
 * the file if there is one. */
export const cspViolations = [];

export class KindlingPage {
  /** `errors` collects the page's uncaught errors. */
  constructor(page, errors = []) {
    this.page = page;
    this.errors = errors;
  }

  /**
   * Opens Kindling from `server` in a new page of `context`: a browser (the page gets its own
   * context, with `viewport` and `hasTouch`) or a browser context (its own viewport).
   * - `url`: the whole address (a shared link), else the served page with `query` (e.g.
   *   `?backend=cpu`) appended;
   * - `ready`: wait until the engine has warmed up (`data-ready`), within `timeout` ms;
   * - `epochs`: then set the EpochTracker's total_epochs;
   * - `init`: a script to run in the page before it loads (e.g. to break storage);
   * - `prepare`: an async function given the page before it loads (e.g. to route requests);
   * - `recordFrames`: record animation frames and long tasks from the start.
   */
  static async open(context, server, options = {}) {
    const { url, query = '', ready = true, epochs, init, prepare, recordFrames = false, viewport = VIEWPORT, hasTouch = false } =
      options;
    const timeout = options.timeout ?? 30_000;
    const page = await (context.newContext ? context.newPage({ viewport, hasTouch }) : context.newPage());
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) cspViolations.push(`${page.url().slice(0, 80)}: ${message.text().slice(0, 300)}`);
    });
    if (init) await page.addInitScript(init);
    if (prepare) await prepare(page);
    if (recordFrames) await KindlingPage.recordFrames(page);
    await page.goto(url ?? server.url + query);
    const kindling = new KindlingPage(page, errors);
    if (ready) await kindling.waitForReady(timeout);
    else await kindling.byTestId('train-button').waitFor();
    if (epochs !== undefined) await kindling.setParam('EpochTracker', 'total_epochs', String(epochs));
    return kindling;
  }

  byTestId(id) {
    return this.page.locator(`[data-testid="${id}"]`);
  }

  /** The text of the element with `data-testid` `id`. */
  text(id) {
    return this.byTestId(id).textContent();
  }

  /** The number in `data-value` of the element with `data-testid` `id`. */
  async value(id) {
    return Number(await this.byTestId(id).getAttribute('data-value'));
  }

  async status() {
    return this.text('status');
  }

  /** The notice's text. */
  notice() {
    return this.text('notice');
  }

  /** Waits until the engine has warmed up (after a load or a reload). */
  waitForReady(timeout = 30_000) {
    return this.page.locator('[data-testid="backend"][data-ready="true"]').waitFor({ timeout });
  }

  /** Waits until the notice includes `text`. */
  waitForNotice(text, options = {}) {
    return this.page.waitForFunction(
      (text) => document.querySelector('[data-testid="notice"]')?.textContent.includes(text),
      text,
      options,
    );
  }

  /** Waits until `status` reads `text`. */
  async waitForStatus(text, timeout = 60_000) {
    await this.page.waitForFunction(
      (expected) => document.querySelector('[data-testid="status"]')?.textContent === expected,
      text,
      { timeout, polling: 'raf' },
    );
  }

  /** Waits until training has ended (done, error or stopped) and the charts show its end;
   * resolves to the status. */
  async waitWhileTraining(timeout = 120_000) {
    await this.page.waitForFunction(
      () => document.querySelector('[data-testid="status"]')?.textContent !== 'training',
      null,
      { timeout, polling: 200 },
    );
    await this.chartsDrawn();
    return this.status();
  }

  /** Waits until no chart waits for its frame to be redrawn (charts are drawn one per
   * animation frame: `ui/paced.rs`). */
  async chartsDrawn() {
    await this.frames(1);
    await this.page.waitForFunction(() => !document.querySelector('.chart[data-pending="true"]'), null, { polling: 'raf' });
  }

  /** Waits until the run task holds the paused run: nothing trains until a command comes. */
  waitUntilHeld() {
    return this.page.locator('[data-testid="status"][data-held="true"]').waitFor();
  }

  /** Waits until no run task is alive (a stopped run's task has ended). */
  waitForNoRunTask() {
    return this.page.locator('[data-testid="status"][data-tasks="0"]').waitFor();
  }

  /** Waits until what the tab shows is autosaved — or, with `state`, until autosave is in
   * that state (`failed`, `off`). Two frames first, so the page has seen the latest edit. */
  async autosaved(state = 'saved') {
    await this.frames(2);
    await this.page.locator(`[data-testid="document-bar"][data-autosave="${state}"]`).waitFor();
  }

  /** Waits for `count` animation frames of the page. */
  frames(count = 5) {
    return this.page.evaluate(
      (count) =>
        new Promise((resolve) => {
          let seen = 0;
          const tick = () => (++seen >= count ? resolve() : requestAnimationFrame(tick));
          requestAnimationFrame(tick);
        }),
      count,
    );
  }

  /** Epochs done, as the progress bar shows them. */
  async epochsDone() {
    return Number((await this.text('epoch')).split('/')[0]);
  }

  /** The batch the progress bar shows, and the batches per epoch. */
  async batch() {
    return (await this.text('batch')).split('/').map(Number);
  }

  /** Waits until the progress bar shows at least `count` epochs done. */
  async waitForEpochs(count, timeout = 60_000) {
    await this.page.waitForFunction(
      (count) => Number(document.querySelector('[data-testid="epoch"]')?.textContent.split('/')[0]) >= count,
      count,
      { timeout, polling: 200 },
    );
  }

  /** The `nth` node of `kind` (its catalogue name, e.g. `SGDOptimizer`) on the canvas. */
  node(kind, nth = 0) {
    return this.page.locator(`[data-node-kind="${kind}"]`).nth(nth);
  }

  /** The id of the `nth` node of `kind`. */
  async nodeId(kind, nth = 0) {
    return Number(await this.node(kind, nth).getAttribute('data-node-id'));
  }

  async nodeCount() {
    return this.page.locator('[data-node-id]').count();
  }

  /** The dot of port `name` of the `nth` node of `kind`. */
  port(kind, name, nth = 0) {
    return this.node(kind, nth).locator(`[data-port$=":${name}"] circle`);
  }

  /** The page's wires, each as `Kind:port->Kind:port`, sorted. */
  async wires() {
    return this.page.evaluate(() => {
      const kinds = new Map([...document.querySelectorAll('[data-node-id]')].map((n) => [n.dataset.nodeId, n.dataset.nodeKind]));
      const named = (end) => {
        const [id, port] = end.split(':');
        return `${kinds.get(id)}:${port}`;
      };
      return [...document.querySelectorAll('[data-wire]')]
        .map((wire) => wire.getAttribute('data-wire').split('->').map(named).join('->'))
        .sort();
    });
  }

  /** Selects the `nth` node of `kind` by clicking its header, opening it in the inspector. */
  async selectNode(kind, nth = 0) {
    let header = await this.node(kind, nth).locator('.node-header').boundingBox();
    // The page scrolled away (to a chart, a button below), or the node sits under the sticky
    // notice bar: back to where the node is, mid-screen.
    const height = this.page.viewportSize()?.height ?? 800;
    if (header.y < 80 || header.y + header.height > height) {
      await this.page.evaluate((by) => window.scrollBy(0, by), header.y - height / 2);
      header = await this.node(kind, nth).locator('.node-header').boundingBox();
    }
    await this.page.mouse.click(header.x + 30, header.y + header.height / 2);
  }

  /** Sets parameter `name` of the `nth` node of `kind` through the inspector, as a user types it. */
  async setParam(kind, name, value, nth = 0) {
    await this.selectNode(kind, nth);
    const control = this.page.locator(`[data-testid="inspector"] [data-param="${name}"]`);
    await control.fill(value);
    await control.press('Tab');
  }

  /** The value of parameter `name` of the `nth` node of `kind`, as the inspector shows it. */
  async param(kind, name, nth = 0) {
    await this.selectNode(kind, nth);
    return this.page.locator(`[data-testid="inspector"] [data-param="${name}"]`).inputValue();
  }

  /** Records every animation-frame timestamp from the moment the page loads, and every long
   * task (over 50 ms, PerformanceObserver `longtask`) and long animation frame
   * (`long-animation-frame`, over 50 ms). */
  static async recordFrames(page) {
    await page.addInitScript(() => {
      window.__longTasks = [];
      window.__longFrames = [];
      const observe = (type, into) => {
        try {
          new PerformanceObserver((list) => {
            for (const entry of list.getEntries()) {
              // A long animation frame names the scripts that ran in it and when layout and
              // paint began: what a failing budget's message shows.
              const scripts = (entry.scripts ?? []).map((s) => `${s.invoker} ${Math.round(s.duration)} ms`);
              const render = entry.renderStart ? Math.round(entry.startTime + entry.duration - entry.renderStart) : undefined;
              const scriptMs = (entry.scripts ?? []).reduce((sum, s) => sum + s.duration, 0);
              into.push({ start: entry.startTime, duration: entry.duration, scripts, scriptMs, render });
            }
          }).observe({ type, buffered: true });
        } catch {
          // An entry type this browser lacks records nothing.
        }
      };
      observe('longtask', window.__longTasks);
      observe('long-animation-frame', window.__longFrames);
      window.__frames = [];
      const tick = (t) => {
        window.__frames.push(t);
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
  }

  /**
   * Waits until the page has settled after load: `count` animation frames in a row, each at
   * most `gapMillis` after the last. Just after load the browser compiles the 3 MB module
   * and rasterises the page in the background, which on 2 cores delays frames whatever the
   * page does; the frame-gap check is about training, so it starts on a settled page.
   * Resolves to how long settling took, in ms.
   */
  async settle(count = 20, gapMillis = 25) {
    return this.page.evaluate(
      ([count, gapMillis]) =>
        new Promise((resolve) => {
          const started = performance.now();
          let quiet = 0;
          let last = performance.now();
          const tick = (t) => {
            quiet = t - last <= gapMillis ? quiet + 1 : 0;
            last = t;
            if (quiet >= count) resolve(performance.now() - started);
            else requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        }),
      [count, gapMillis],
    );
  }

  /** Long tasks and long animation frames that started between two `performance.now()`
   * times: their count and the longest, in ms; `pageTasks`, the long tasks the page's own
   * scripts filled; `described`, each long frame in words. */
  async longTasks(from, to) {
    return this.page.evaluate(
      ([start, end]) => {
        const within = (entries) => entries.filter((e) => e.start >= start && e.start <= end);
        const longest = (entries) => entries.reduce((max, e) => Math.max(max, e.duration), 0);
        const [tasks, frames] = [within(window.__longTasks), within(window.__longFrames)];
        // A long task is the page's unless the long animation frame it fell in shows the
        // page's scripts ran for under 50 ms of it (the rest: the browser's own work, such as
        // compiling the engine's code on the page's thread). One no frame covers counts.
        const pageTasks = tasks.filter((task) => {
          const covering = frames.filter((f) => f.start <= task.start + 1 && task.start + task.duration <= f.start + f.duration + 1);
          return covering.length === 0 || covering.some((f) => f.scriptMs >= 50);
        }).length;
        const described = frames.map((f) => `${Math.round(f.duration)} ms at ${Math.round(f.start - start)} (render ${f.render} ms; ${f.scripts.join(', ') || 'no script'})`);
        return { tasks: tasks.length, pageTasks, longestTask: longest(tasks), longFrames: frames.length, longestFrame: longest(frames), described };
      },
      [from, to],
    );
  }

  /** The longest gap between animation frames between two `performance.now()` times. */
  async longestFrameGap(from, to) {
    return this.page.evaluate(
      ([start, end]) => {
        const frames = window.__frames.filter((t) => t >= start && t <= end);
        let longest = 0;
        for (let i = 1; i < frames.length; i++) longest = Math.max(longest, frames[i] - frames[i - 1]);
        return { longest, frames: frames.length };
      },
      [from, to],
    );
  }

  /** `performance.now()` in the page. */
  now() {
    return this.page.evaluate(() => performance.now());
  }

  /** The engine's worker (`kindling-engine`), once it has started. */
  async engineWorker(timeout = 30_000) {
    const started = Date.now();
    for (;;) {
      const worker = this.page.workers().find((worker) => worker.url().endsWith('/engine-worker.js'));
      if (worker) return worker;
      if (Date.now() - started > timeout) throw new Error('no engine worker started');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  close() {
    return this.page.close();
  }
}
