// Headless Chromium (the system's, driven by playwright-core) and a page object for Kindling.
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

/** Headless Chromium; with `webgpu`, one that has a (software) WebGPU adapter. */
export async function launch({ webgpu = false } = {}) {
  const args = webgpu ? [...FLAGS, ...WEBGPU_FLAGS] : FLAGS;
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args });
}

/** Kindling's page, by its stable `data-testid` surface. */
export class KindlingPage {
  constructor(page) {
    this.page = page;
  }

  byTestId(id) {
    return this.page.locator(`[data-testid="${id}"]`);
  }

  async status() {
    return this.byTestId('status').textContent();
  }

  /** Waits until `status` reads `text`. */
  async waitForStatus(text, timeout = 60_000) {
    await this.page.waitForFunction(
      (expected) => document.querySelector('[data-testid="status"]')?.textContent === expected,
      text,
      { timeout, polling: 'raf' },
    );
  }

  /** Waits until training has ended (done, error or stopped); resolves to the status. */
  async waitWhileTraining(timeout = 120_000) {
    await this.page.waitForFunction(
      () => document.querySelector('[data-testid="status"]')?.textContent !== 'training',
      null,
      { timeout, polling: 200 },
    );
    return this.status();
  }

  async value(id) {
    return Number(await this.byTestId(id).getAttribute('data-value'));
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
            for (const entry of list.getEntries()) into.push({ start: entry.startTime, duration: entry.duration });
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
   * times: their count and the longest, in ms. */
  async longTasks(from, to) {
    return this.page.evaluate(
      ([start, end]) => {
        const within = (entries) => entries.filter((e) => e.start >= start && e.start <= end);
        const longest = (entries) => entries.reduce((max, e) => Math.max(max, e.duration), 0);
        const [tasks, frames] = [within(window.__longTasks), within(window.__longFrames)];
        return { tasks: tasks.length, longestTask: longest(tasks), longFrames: frames.length, longestFrame: longest(frames) };
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
}

/** Selects `node` (its `data-node-id`) by clicking its header, opening it in the inspector. */
export async function selectNode(page, node) {
  const header = await page.locator(`[data-node-id="${node}"] .node-header`).boundingBox();
  await page.mouse.click(header.x + 30, header.y + header.height / 2);
}

/** Sets parameter `name` of `node` through the inspector, as a user types it. */
export async function setParam(page, node, name, value) {
  await selectNode(page, node);
  const control = page.locator(`[data-testid="inspector"] [data-param="${name}"]`);
  await control.fill(value);
  await control.press('Tab');
}

/** The text of the element with `data-testid` `id`. */
export const text = (page, id) => page.locator(`[data-testid="${id}"]`).textContent();

/** Epochs done, as the progress bar shows them. */
export const epochsDone = async (page) => Number((await text(page, 'epoch')).split('/')[0]);

/** Waits until the progress bar shows at least `count` epochs done. */
export async function waitForEpochs(page, count, timeout = 60_000) {
  await page.waitForFunction(
    (count) => Number(document.querySelector('[data-testid="epoch"]')?.textContent.split('/')[0]) >= count,
    count,
    { timeout, polling: 200 },
  );
}
