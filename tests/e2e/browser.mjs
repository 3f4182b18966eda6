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

export async function launch() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: FLAGS });
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

  async value(id) {
    return Number(await this.byTestId(id).getAttribute('data-value'));
  }

  /** Records every animation-frame timestamp from the moment the page loads. */
  static async recordFrames(page) {
    await page.addInitScript(() => {
      window.__frames = [];
      const tick = (t) => {
        window.__frames.push(t);
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
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
