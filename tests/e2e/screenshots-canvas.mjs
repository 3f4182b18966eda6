// Renders the canvas as a newcomer first sees it — the default graph fitted to the view, and
// each template — at desktop (1280×800) and phone (390×844) sizes, and zoomed in on one node.
// Usage: node tests/e2e/screenshots-canvas.mjs <dist> <out-dir> [prefix]
import { serveDist } from './server.mjs';
import { KindlingPage, launch } from './browser.mjs';

const [dist = 'dist', out = '.', prefix = 'canvas'] = process.argv.slice(2);
const server = await serveDist(dist, '/kindling/');
const browser = await launch();
for (const [name, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]]) {
  const kindling = await KindlingPage.open(browser, server, { viewport, query: '?backend=cpu' });
  const page = kindling.page;
  page.on('pageerror', (error) => console.error(`${name}: ${error.message}`));
  await kindling.frames(5);
  await page.screenshot({ path: `${out}/${prefix}-default-${name}.png` });
  for (const template of ['with_validation', 'digits', 'regression', 'multi_loss']) {
    await kindling.byTestId('templates').selectOption(template);
    await kindling.frames(5);
    await kindling.byTestId('canvas').screenshot({ path: `${out}/${prefix}-${template}-${name}.png` });
  }
  // Zoomed in on a node: the full detail.
  await kindling.byTestId('templates').selectOption('basic_loop');
  await kindling.frames(3);
  const box = await kindling.node('SGDOptimizer').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -240);
  await kindling.frames(5);
  await kindling.byTestId('canvas').screenshot({ path: `${out}/${prefix}-zoomed-${name}.png` });
  await kindling.close();
}
await browser.close();
await server.close();
