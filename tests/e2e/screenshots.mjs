// Renders the page into PNGs to look at: at desktop (1280×800) and phone (390×844) sizes, the
// default graph, a selection with the inspector, a refused connection, the add-menu, and the
// page after training, the Export menu, its checkpoint restored after a reload, the share link, a shared link opened, and a refused one;
// a load that did not finish (the graph kept aside, the Kept aside panel), the Stored panel, and the banner a
// panic shows.
// Usage: node tests/e2e/screenshots.mjs <dist> <out-dir>
import { serveDist } from './server.mjs';
import { KindlingPage, launch } from './browser.mjs';

const [dist = 'dist', out = '.'] = process.argv.slice(2);
const server = await serveDist(dist, '/kindling/');
const browser = await launch();
const centre = async (locator) => {
  const box = await locator.boundingBox();
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
};
for (const [name, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]]) {
  const kindling = await KindlingPage.open(browser, server, { viewport });
  const page = kindling.page;
  page.on('pageerror', (error) => console.error(`${name}: ${error.message}`));
  await kindling.frames(5);
  await page.screenshot({ path: `${out}/${name}-idle.png` });
  // A selection, with the inspector showing its parameters.
  await kindling.selectNode('SGDOptimizer');
  await page.screenshot({ path: `${out}/${name}-inspector.png`, fullPage: true });
  // A refused connection: the optimizer's output dropped on the network's input.
  const from = await centre(kindling.port('SGDOptimizer', 'optimizer'));
  const to = await centre(kindling.port('Network', 'input'));
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 6 });
  await page.mouse.up();
  await kindling.byTestId('connection-refused').waitFor();
  await page.screenshot({ path: `${out}/${name}-refused.png` });
  // The add-menu, opened with Shift+A at the pointer.
  const canvas = await kindling.byTestId('canvas').boundingBox();
  await page.mouse.move(canvas.x + 30, canvas.y + 30);
  await page.keyboard.press('Shift+A');
  await kindling.byTestId('add-search').fill('loss');
  await page.screenshot({ path: `${out}/${name}-add-menu.png` });
  await page.keyboard.press('Escape');
  await kindling.byTestId('train-button').click();
  await kindling.waitWhileTraining(180_000);
  await page.screenshot({ path: `${out}/${name}-trained.png`, fullPage: true });
  // The Export menu, after training: programs, metrics, weights, and the notes.
  await kindling.byTestId('export-menu').click();
  await kindling.byTestId('export-panel').waitFor();
  await page.screenshot({ path: `${out}/${name}-export-menu.png` });
  await kindling.byTestId('export-menu').click();
  // The tab reloaded: its graph's checkpoint restored, paused, with the notice.
  await page.reload();
  await kindling.waitForReady();
  await page.waitForFunction(() => document.querySelector('[data-testid="checkpoint"]')?.dataset.epoch);
  await kindling.byTestId('restore-checkpoint').click();
  await kindling.waitForStatus('paused');
  await kindling.frames(3);
  await page.screenshot({ path: `${out}/${name}-checkpoint-restored.png` });
  // Stored in this browser: the graph, its checkpoint, with sizes, Export and Delete.
  await kindling.byTestId('stored-button').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="stored-panel"]')?.dataset.count);
  await page.screenshot({ path: `${out}/${name}-stored.png` });
  await kindling.byTestId('stored-button').click();
  // Share: the link box and its notice; then the same link opened in a fresh page.
  await kindling.byTestId('share-button').click();
  await kindling.byTestId('share-link').waitFor();
  await page.screenshot({ path: `${out}/${name}-shared.png` });
  const link = await kindling.byTestId('share-link').inputValue();
  await kindling.close();
  const opened = await KindlingPage.open(browser, server, { url: link, viewport });
  await opened.frames(5);
  await opened.page.screenshot({ path: `${out}/${name}-link-opened.png` });
  await opened.page.goto(`${server.url}?hostile#g=BAEC`);
  await opened.waitForReady();
  await opened.frames(5);
  await opened.page.screenshot({ path: `${out}/${name}-link-refused.png` });
  // A load that did not finish: the next starts afresh and keeps the graph aside.
  await opened.setParam('SGDOptimizer', 'learning_rate', '0.29');
  await opened.autosaved();
  await opened.page.evaluate(() => sessionStorage.setItem('kindling.loading', '1'));
  await opened.page.reload();
  await opened.waitForReady();
  await opened.byTestId('kept-aside').click();
  await opened.byTestId('aside-panel').waitFor();
  await opened.page.screenshot({ path: `${out}/${name}-kept-aside.png` });
  await opened.byTestId('kept-aside').click();
  // Kindling hits a bug: the banner.
  await opened.setParam('SGDOptimizer', 'learning_rate', '0.31');
  await opened.page.evaluate(() => {
    try {
      window.wasmBindings.kindling_panic_for_tests();
    } catch {
      // The banner is what the user sees.
    }
  });
  await opened.byTestId('crash-banner').waitFor();
  await opened.page.screenshot({ path: `${out}/${name}-crash-banner.png` });
  await opened.close();
}
await browser.close();
await server.close();
