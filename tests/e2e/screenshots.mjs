// Renders the page at desktop and phone sizes, idle and after training, into PNGs to look at.
// Usage: node tests/e2e/screenshots.mjs <dist> <out-dir>
import { serveDist } from './server.mjs';
import { launch } from './browser.mjs';

const [dist = 'dist', out = '.'] = process.argv.slice(2);
const server = await serveDist(dist, '/kindling/');
const browser = await launch();
for (const [name, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]]) {
  const page = await browser.newPage({ viewport });
  page.on('pageerror', (error) => console.error(`${name}: ${error.message}`));
  await page.goto(server.url);
  await page.locator('[data-testid="train-button"]').waitFor();
  await page.screenshot({ path: `${out}/${name}-idle.png`, fullPage: true });
  await page.locator('[data-testid="train-button"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent !== 'training', null, { timeout: 180_000 });
  await page.screenshot({ path: `${out}/${name}-trained.png`, fullPage: true });
  await page.close();
}
await browser.close();
await server.close();
