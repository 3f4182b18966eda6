// `cargo xtask fresh-check`'s last word on `cargo xtask serve`: the page it serves (a debug
// build, at the root of the server) warms up, trains the default graph for a few epochs on the
// CPU, and reports an accuracy, with no uncaught error. Usage: node serve-check.mjs URL
import assert from 'node:assert/strict';
import { KindlingPage, launch } from './browser.mjs';

const EPOCHS = 5;
const url = process.argv[2];
assert.ok(url, 'usage: node serve-check.mjs URL');

const browser = await launch();
try {
  const kindling = await KindlingPage.open(browser, { url }, { url: `${url}?backend=cpu`, timeout: 180_000, epochs: EPOCHS });
  await kindling.byTestId('train-button').click();
  assert.equal(await kindling.waitWhileTraining(300_000), 'done');
  assert.equal(await kindling.text('epoch'), `${EPOCHS}/${EPOCHS}`);
  const accuracy = await kindling.value('train-accuracy');
  assert.ok(accuracy > 0 && accuracy <= 1, `an accuracy was reported: ${accuracy}`);
  assert.deepEqual(kindling.errors, []);
  console.log(`serve-check: ${url} trained ${EPOCHS} epochs on the CPU, accuracy ${accuracy}`);
} finally {
  await browser.close();
}
