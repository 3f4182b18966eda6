// Renders what issue 30 added, to look at: inside the network (the neuron view, a unit's
// formula, a unit large, the probe marked in every unit, the layers' norms and activations),
// and the digits (the drawing pad, the first layer's weights, the mistakes), at desktop
// (1280×800) and phone (390×844) sizes.
// Usage: node tests/e2e/screenshots-inside.mjs <dist> <out-dir>
import { serveDist } from './server.mjs';
import { KindlingPage, launch } from './browser.mjs';

const [dist = 'dist', out = '.'] = process.argv.slice(2);
const server = await serveDist(dist, '/kindling/');
const browser = await launch();
for (const [name, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]]) {
  const kindling = await KindlingPage.open(browser, server, { viewport, query: '?backend=cpu', epochs: 40 });
  const page = kindling.page;
  page.on('pageerror', (error) => console.error(`${name}: ${error.message}`));
  await kindling.byTestId('train-button').click();
  await kindling.waitWhileTraining(180_000);
  const plot = page.locator('[data-testid="decision-boundary"] .boundary-plot');
  const box = await plot.boundingBox();
  await plot.click({ position: { x: box.width * 0.3, y: box.height * 0.4 } });
  await page.waitForFunction(() => document.querySelector('[data-neuron="0:0"]')?.dataset.probeValue);
  const inside = page.locator('section.inside');
  await inside.scrollIntoViewIfNeeded();
  await page.locator('[data-neuron="0:3"]').hover();
  await inside.screenshot({ path: `${out}/inside-${name}.png` });
  await page.locator('[data-neuron="1:5"]').click();
  await kindling.byTestId('neuron-large').waitFor();
  await kindling.byTestId('neuron-view').screenshot({ path: `${out}/inside-large-${name}.png` });
  await kindling.close();

  // The digits: a zero drawn on the pad after 20 epochs.
  const digits = await KindlingPage.open(browser, server, { viewport, query: '?backend=cpu' });
  await digits.byTestId('templates').selectOption('digits');
  await digits.setParam('EpochTracker', 'total_epochs', '20');
  await digits.byTestId('train-button').click();
  await digits.waitWhileTraining(180_000);
  const pad = digits.byTestId('draw-pad');
  await pad.scrollIntoViewIfNeeded();
  const ring = [10, 11, 12, 13, 17, 22, 25, 30, 33, 38, 41, 46, 50, 51, 52, 53];
  for (const cell of ring) {
    const b = await pad.locator(`[data-cell="${cell}"]`).boundingBox();
    await digits.page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
    await digits.page.mouse.down();
    await digits.page.mouse.up();
  }
  await digits.byTestId('probe').waitFor();
  await digits.page.locator('section.inside').screenshot({ path: `${out}/inside-digits-${name}.png` });
  await digits.close();
}
await browser.close();
await server.close();
