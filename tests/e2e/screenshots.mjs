// Renders the page into PNGs to look at: at desktop (1280×800) and phone (390×844) sizes, the
// default graph, a selection with the inspector, a refused connection, the add-menu, and the
// page after training, the share link, a shared link opened, and a refused one.
// Usage: node tests/e2e/screenshots.mjs <dist> <out-dir>
import { serveDist } from './server.mjs';
import { launch } from './browser.mjs';

const [dist = 'dist', out = '.'] = process.argv.slice(2);
const server = await serveDist(dist, '/kindling/');
const browser = await launch();
const centre = async (locator) => {
  const box = await locator.boundingBox();
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
};
for (const [name, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]]) {
  const page = await browser.newPage({ viewport });
  page.on('pageerror', (error) => console.error(`${name}: ${error.message}`));
  await page.goto(server.url);
  await page.locator('[data-testid="train-button"]').waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}/${name}-idle.png` });
  // A selection, with the inspector showing its parameters.
  const sgd = page.locator('[data-node-kind="SGDOptimizer"] .node-header');
  const header = await centre(sgd);
  await page.mouse.click(header.x, header.y);
  await page.screenshot({ path: `${out}/${name}-inspector.png`, fullPage: true });
  // A refused connection: the optimizer's output dropped on the network's input.
  const from = await centre(page.locator('[data-port="5:optimizer"] circle'));
  const to = await centre(page.locator('[data-port="3:input"] circle'));
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 6 });
  await page.mouse.up();
  await page.screenshot({ path: `${out}/${name}-refused.png` });
  // The add-menu, opened with Shift+A at the pointer.
  const canvas = await page.locator('[data-testid="canvas"]').boundingBox();
  await page.mouse.move(canvas.x + 30, canvas.y + 30);
  await page.keyboard.press('Shift+A');
  await page.locator('[data-testid="add-search"]').fill('loss');
  await page.screenshot({ path: `${out}/${name}-add-menu.png` });
  await page.keyboard.press('Escape');
  await page.locator('[data-testid="train-button"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent !== 'training', null, { timeout: 180_000 });
  await page.screenshot({ path: `${out}/${name}-trained.png`, fullPage: true });
  // Share: the link box and its notice; then the same link opened in a fresh page.
  await page.locator('[data-testid="share-button"]').click();
  await page.waitForTimeout(200);
  await page.screenshot({ path: `${out}/${name}-shared.png` });
  const link = await page.locator('[data-testid="share-link"]').inputValue();
  await page.close();
  const opened = await browser.newPage({ viewport });
  await opened.goto(link);
  await opened.locator('[data-testid="train-button"]').waitFor();
  await opened.waitForTimeout(300);
  await opened.screenshot({ path: `${out}/${name}-link-opened.png` });
  await opened.goto(`${server.url}?hostile#g=AgEC`);
  await opened.locator('[data-testid="train-button"]').waitFor();
  await opened.waitForTimeout(300);
  await opened.screenshot({ path: `${out}/${name}-link-refused.png` });
  await opened.close();
}
await browser.close();
await server.close();
