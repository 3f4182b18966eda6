// Renders the CSV flow, to look at: a file of two features and a text label (with one bad
// row) picked into the Dataset — the inspector's panel with its statistics and the row left
// out — then trained on, with its decision boundary; and a link opened where the browser does
// not have the file. Desktop (1280×800) and phone (390×844).
// Usage: node tests/e2e/screenshots-csv.mjs <dist> <out-dir>
import { serveDist } from './server.mjs';
import { KindlingPage, launch } from './browser.mjs';

const [dist = 'dist', out = '.'] = process.argv.slice(2);
const server = await serveDist(dist, '/kindling/');
const browser = await launch();

/** Two interleaved half-moons in centimetres, labelled by name; line 30 is a field short. */
function moons(rows = 400) {
  const lines = ['width_cm,height_cm,kind'];
  for (let i = 0; i < rows; i++) {
    const c = i % 2;
    const t = Math.PI * ((i * 37) % 200) / 200;
    const wobble = (((i * 7919) % 100) / 100 - 0.5) * 0.3;
    const [x, y] = c ? [1 - Math.cos(t), 0.5 - Math.sin(t)] : [Math.cos(t), Math.sin(t)];
    lines.push(`${(10 + 4 * (x + wobble)).toFixed(2)},${(20 + 4 * (y + wobble)).toFixed(2)},${c ? 'lower' : 'upper'}`);
    if (lines.length === 29) lines.push('11.5,21.0');
  }
  return lines.join('\n') + '\n';
}

for (const [name, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]]) {
  const context = await browser.newContext({ viewport });
  const kindling = await KindlingPage.open(context, server, { query: '?backend=cpu' });
  const page = kindling.page;
  page.on('pageerror', (error) => console.error(`${name}: ${error.message}`));
  await kindling.setParam('EpochTracker', 'total_epochs', '60');
  // On a phone the inspector is under the canvas: back up to the canvas to pick the node.
  await kindling.byTestId('canvas').scrollIntoViewIfNeeded();
  await kindling.selectNode('Dataset');
  await page.locator('[data-testid="inspector"] [data-param="kind"]').selectOption('csv');
  await kindling.byTestId('dataset-file').setInputFiles({ name: 'moons.csv', mimeType: 'text/csv', buffer: Buffer.from(moons()) });
  await kindling.waitForNotice('moons.csv');
  await kindling.byTestId('canvas').scrollIntoViewIfNeeded();
  await kindling.selectNode('Dataset');
  await kindling.frames(3);
  await page.screenshot({ path: `${out}/csv-picked-${name}.png` });
  await kindling.byTestId('csv-panel').screenshot({ path: `${out}/csv-panel-${name}.png` });
  await kindling.byTestId('train-button').click();
  await kindling.waitWhileTraining(180_000);
  await kindling.frames(3);
  await page.screenshot({ path: `${out}/csv-trained-${name}.png`, fullPage: true });
  await kindling.byTestId('share-button').click();
  const link = await kindling.byTestId('share-link').inputValue();
  const elsewhere = await KindlingPage.open(await browser.newContext({ viewport }), server, { url: link });
  await elsewhere.node('Dataset').waitFor();
  await elsewhere.byTestId('canvas').scrollIntoViewIfNeeded();
  await elsewhere.selectNode('Dataset');
  await elsewhere.frames(3);
  await elsewhere.page.screenshot({ path: `${out}/csv-elsewhere-${name}.png` });
  await context.close();
}
await browser.close();
await server.close();
