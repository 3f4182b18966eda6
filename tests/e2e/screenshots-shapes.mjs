// Renders what the image datasets' templates look like, to look at: the digits with a CNN
// trained (the drawing pad, the mistakes), the CNN on shapes trained (the editor with the
// Dataset's shapes parameters in the inspector, the charts), and MLP vs CNN after its sweep,
// at desktop (1280×800) and phone (390×844) sizes.
// Usage: node tests/e2e/screenshots-shapes.mjs <dist> <out-dir>
import { serveDist } from './server.mjs';
import { KindlingPage, launch } from './browser.mjs';

const [dist = 'dist', out = '.'] = process.argv.slice(2);
const server = await serveDist(dist, '/kindling/');
const browser = await launch();
for (const [name, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]]) {
  const open = async (template) => {
    const kindling = await KindlingPage.open(browser, server, { viewport, query: '?backend=cpu' });
    kindling.page.on('pageerror', (error) => console.error(`${name}: ${error.message}`));
    await kindling.byTestId('templates').selectOption(template);
    return kindling;
  };

  const digits = await open('digits_cnn');
  await digits.setParam('EpochTracker', 'total_epochs', '10');
  await digits.byTestId('train-button').click();
  await digits.waitWhileTraining(300_000);
  await digits.page.screenshot({ path: `${out}/digits-cnn-${name}.png`, fullPage: true });
  await digits.close();

  const shapes = await open('shapes_cnn');
  await shapes.selectNode('Dataset');
  await shapes.page.screenshot({ path: `${out}/shapes-cnn-editor-${name}.png` });
  await shapes.byTestId('train-button').click();
  await shapes.waitWhileTraining(300_000);
  await shapes.page.screenshot({ path: `${out}/shapes-cnn-${name}.png`, fullPage: true });
  await shapes.close();

  const versus = await open('mlp_vs_cnn');
  await versus.byTestId('sweep-run').click();
  await versus.page.waitForFunction(
    () => document.querySelector('[data-testid="sweep-status"]')?.textContent === 'done',
    null,
    { timeout: 300_000 },
  );
  await versus.page.screenshot({ path: `${out}/mlp-vs-cnn-${name}.png`, fullPage: true });
  await versus.close();
}
await browser.close();
await server.close();
