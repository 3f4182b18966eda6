// End to end: inside the network (issue 30) — every hidden unit's picture live as the default
// graph trains, formulas with the current numbers, a unit large, the probe marked in every
// unit, each layer's norms and activations, and the probe's answer checked against
// `kindling-run --predict --weights` on the very weights the page downloads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useReleaseBuild } from './fixture.mjs';

const env = useReleaseBuild();
const root = new URL('../..', import.meta.url).pathname;

/** Each hidden unit's picture, as a data URL, by its `data-neuron`. */
const pictures = (kindling) =>
  kindling.page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll('[data-neuron]:not([data-output])')].map((unit) => [unit.dataset.neuron, unit.querySelector('canvas').toDataURL()]),
    ),
  );

/** The confusion matrix's off-diagonal count, as the page shows it: the samples wrong. */
const offDiagonal = (kindling) =>
  kindling.page.$$eval('[data-testid="confusion-matrix"] tbody tr', (rows) =>
    rows.reduce((sum, row, truth) => sum + [...row.querySelectorAll('td[data-count]')].reduce((s, cell, predicted) => s + (predicted === truth ? 0 : Number(cell.dataset.count)), 0), 0));

const updates = (kindling) => kindling.page.evaluate(() => Number(document.querySelector('[data-testid="neuron-view"]').dataset.updates));

test('the default graph shows its 32 hidden units live, their formulas, one large, and the probe in each', async () => {
  const kindling = await env.open({ epochs: 60 });
  const view = kindling.byTestId('neuron-view');
  // Before a run: the graph's network laid out, its units without pictures yet.
  await view.scrollIntoViewIfNeeded();
  assert.equal(await kindling.page.locator('[data-neuron]:not([data-output])').count(), 32);
  assert.equal(await view.getAttribute('data-updates'), '0');
  await kindling.byTestId('train-button').click();
  await kindling.page.waitForFunction(() => Number(document.querySelector('[data-testid="neuron-view"]')?.dataset.updates) >= 1);
  const early = await pictures(kindling);
  assert.equal(Object.keys(early).length, 32, 'two hidden layers of 16 units');
  assert.deepEqual(Object.keys(early).filter((key) => key.startsWith('0:')).length, 16);
  assert.equal(await kindling.page.locator('[data-neuron][data-output]').count(), 2);
  const seen = await updates(kindling);
  await kindling.page.waitForFunction((seen) => Number(document.querySelector('[data-testid="neuron-view"]').dataset.updates) >= seen + 3, seen);
  const later = await pictures(kindling);
  const changed = Object.keys(early).filter((unit) => early[unit] !== later[unit]).length;
  assert.ok(changed >= 24, `${changed} of 32 pictures changed while it trained`);
  assert.equal(await kindling.waitWhileTraining(), 'done');

  // Pointing at a unit writes its formula with the current numbers.
  const formula = kindling.byTestId('neuron-formula');
  await kindling.page.locator('[data-neuron="0:3"]').hover();
  assert.match(await formula.textContent(), /^h0:3 = ReLU\(−?\d[\d.e-]*·x₁ [+−] \d[\d.e-]*·x₂ [+−] \d[\d.e-]*\)$/);
  await kindling.page.locator('[data-neuron="1:0"]').hover();
  assert.match(await formula.textContent(), /^h1:0 = ReLU\(.*·h0:0 .*·h0:15 [+−] \d[\d.e-]*\)$/);
  // Pointing at a line reads its weight: the line from x₁ into h0:0, at its middle.
  const from = await kindling.page.locator('[data-input]').first().boundingBox();
  const into = await kindling.page.locator('[data-neuron="0:0"]').boundingBox();
  await kindling.page.mouse.move((from.x + from.width + into.x) / 2, (from.y + into.y + into.height / 2 + from.height / 2) / 2);
  assert.match(await formula.textContent(), /^weight −?\d[\d.e-]* from x₁ into h0:0$/);
  assert.ok(Number(await kindling.page.locator('.neuron-lines').getAttribute('data-lines')) >= 2 * 16 + 16 * 16 + 16 * 2);

  // A unit large, and closed again.
  await kindling.page.locator('[data-neuron="1:5"]').click();
  assert.equal(await kindling.byTestId('neuron-large').getAttribute('data-neuron'), '1:5');
  await kindling.byTestId('neuron-large').getByRole('button', { name: 'Close' }).click();
  assert.equal(await kindling.byTestId('neuron-large').count(), 0);

  // The probe: each hidden unit marks the point, with its value there (ReLU: never negative).
  const plot = kindling.page.locator('[data-testid="decision-boundary"] .boundary-plot');
  const box = await plot.boundingBox();
  await plot.click({ position: { x: box.width * 0.3, y: box.height * 0.4 } });
  await kindling.page.waitForFunction(() => document.querySelectorAll('[data-neuron][data-probe-value]').length === 32);
  const values = await kindling.page.$$eval('[data-neuron][data-probe-value]', (units) => units.map((unit) => Number(unit.dataset.probeValue)));
  assert.ok(values.every((value) => value >= 0), JSON.stringify(values));
  assert.ok(values.some((value) => value > 0), 'some unit fires at the probe');
  assert.equal(await kindling.page.locator('.neuron-probe').count(), 2 + 32 + 2, 'every unit marks the probe');
  // A new run asks the new model the same question (its start clears the old answer, and
  // answers of the old run are dropped: an answer now is the new model's).
  const asked = await kindling.byTestId('probe').getAttribute('data-inputs');
  await kindling.byTestId('train-button').click();
  assert.equal(await kindling.waitWhileTraining(), 'done');
  await kindling.page.waitForFunction(() => document.querySelectorAll('[data-neuron][data-probe-value]').length === 32);
  assert.equal(await kindling.byTestId('probe').getAttribute('data-inputs'), asked);
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});

test('a wide layer is paged 16 units at a time, and past 64 units the page says how many are drawn', async () => {
  const kindling = await env.open({ epochs: 2 });
  await kindling.setParam('Network', 'layers', 'Linear(100), Tanh, Linear(2)');
  await kindling.byTestId('train-button').click();
  assert.equal(await kindling.waitWhileTraining(), 'done');
  await kindling.byTestId('neuron-view').scrollIntoViewIfNeeded();
  await kindling.page.waitForFunction(() => Number(document.querySelector('[data-testid="neuron-view"]')?.dataset.updates) >= 1);
  const pager = kindling.page.locator('[data-testid="neuron-page"][data-layer="0"]');
  assert.match(await pager.textContent(), /layer 0: units 0–15 of 64 \(64 of 100 units drawn\)/);
  const shown = () => kindling.page.locator('[data-neuron^="0:"]').evaluateAll((units) => units.map((unit) => unit.dataset.neuron));
  assert.deepEqual(await shown(), Array.from({ length: 16 }, (_, i) => `0:${i}`));
  await pager.getByRole('button', { name: 'Later units' }).click();
  assert.equal(await pager.getAttribute('data-first'), '16');
  assert.deepEqual(await shown(), Array.from({ length: 16 }, (_, i) => `0:${16 + i}`));
  // The lines follow the page: from the inputs into the 16 units shown, and from them out.
  assert.equal(Number(await kindling.page.locator('.neuron-lines').getAttribute('data-lines')), 2 * 16 + 16 * 2);
  for (let i = 0; i < 2; i++) await pager.getByRole('button', { name: 'Later units' }).click();
  assert.equal(await pager.getAttribute('data-first'), '48');
  assert.ok(await pager.getByRole('button', { name: 'Later units' }).isDisabled(), 'the last page');
  // A unit of a later page has its formula like any other: Tanh of its sum.
  await kindling.page.locator('[data-neuron="0:50"]').hover();
  assert.match(await kindling.byTestId('neuron-formula').textContent(), /^h0:50 = Tanh\(.*·x₁ .*·x₂ [+−] \d/);
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});

test('a deep network shows its first 10 linear layers and says how many it has', async () => {
  const kindling = await env.open();
  const layers = [...Array.from({ length: 12 }, () => 'Linear(4), ReLU'), 'Linear(2)'].join(', ');
  await kindling.setParam('Network', 'layers', layers);
  const view = kindling.byTestId('neuron-view');
  await kindling.page.waitForFunction(() => /first 10 of 13 linear layers/.test(document.querySelector('[data-testid="neuron-view"] figcaption')?.textContent ?? ''));
  assert.equal(await kindling.page.locator('[data-neuron^="9:"]').count(), 4);
  assert.equal(await kindling.page.locator('[data-neuron^="10:"]').count(), 0);
  assert.ok(await view.isVisible());
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});

test('every layer\'s weight, gradient and update norms are charted per epoch, with activations and dead ReLUs', async () => {
  const kindling = await env.open({ epochs: 6 });
  await kindling.byTestId('train-button').click();
  assert.equal(await kindling.waitWhileTraining(), 'done');
  const stats = kindling.byTestId('layer-stats');
  await kindling.page.waitForFunction(() => Number(document.querySelector('[data-testid="layer-stats"]')?.dataset.epochs) === 6);
  await stats.scrollIntoViewIfNeeded();
  // Drawn once on screen: a line per linear layer (their legend) on each chart.
  for (const chart of ['layer-weight-chart', 'layer-gradient-chart', 'layer-ratio-chart']) {
    await kindling.page.waitForFunction((id) => document.querySelector(`[data-testid="${id}"] svg`)?.innerHTML.includes('Linear 2'), chart);
  }
  // Three lines, one per linear layer, and the 1e-3 guide on the ratio chart.
  assert.match(await stats.locator('[data-testid="layer-ratio-chart"]').innerHTML(), /guide 1e-3/);
  assert.match(await stats.locator('[data-testid="layer-weight-chart"]').innerHTML(), /Linear 2/);
  const histograms = stats.locator('[data-testid="activation-histogram"]');
  assert.equal(await histograms.count(), 2, 'the two hidden layers');
  for (let layer = 0; layer < 2; layer++) {
    const histogram = histograms.nth(layer);
    assert.equal(await histogram.getAttribute('data-layer'), String(layer));
    assert.equal(await histogram.getAttribute('data-units'), '16');
    const dead = Number(await histogram.getAttribute('data-dead'));
    assert.ok(dead >= 0 && dead <= 16, `${dead} dead`);
    assert.match(await histogram.locator('.histogram-text').textContent(), new RegExp(`${dead} of 16 ReLU units never fire`));
  }
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});

test('the probe answers as kindling-run --predict does on the weights the page downloads', async () => {
  const context = await env.browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 800 } });
  const kindling = await env.open({ context, epochs: 20 });
  await kindling.byTestId('train-button').click();
  assert.equal(await kindling.waitWhileTraining(), 'done');
  const plot = kindling.page.locator('[data-testid="decision-boundary"] .boundary-plot');
  const box = await plot.boundingBox();
  await plot.click({ position: { x: box.width * 0.65, y: box.height * 0.3 } });
  await kindling.byTestId('probe').waitFor();
  const read = (name) => kindling.byTestId('probe').getAttribute(name).then(JSON.parse);
  const probe = { probabilities: await read('data-probabilities') };
  assert.ok(Math.abs(probe.probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-5);
  // The point asked, exactly as the model was asked it.
  const inputs = await read('data-inputs');
  assert.equal(inputs.length, 2);
  const dir = await mkdtemp(join(tmpdir(), 'kindling-probe-'));
  const [weights] = await Promise.all([kindling.page.waitForEvent('download'), kindling.byTestId('download-weights').click()]);
  await weights.saveAs(join(dir, 'weights.bpk'));
  const [graph] = await Promise.all([kindling.page.waitForEvent('download'), kindling.byTestId('export-json').click()]);
  await graph.saveAs(join(dir, 'graph.json'));
  await writeFile(join(dir, 'points.csv'), `x,y\n${inputs.join(',')}\n`);
  // The runner, as `cargo test` built it (built here if it was not).
  const built = execFileSync('cargo', ['build', '--offline', '--quiet', '--bin', 'kindling-run', '--message-format=json'], { cwd: root, maxBuffer: 64 << 20 })
    .toString()
    .split('\n')
    .filter((line) => line.includes('"executable"'))
    .map((line) => JSON.parse(line))
    .find((message) => message.target?.name === 'kindling-run');
  assert.ok(built?.executable, 'cargo builds kindling-run');
  const output = execFileSync(built.executable, ['--predict', join(dir, 'points.csv'), '--weights', join(dir, 'weights.bpk'), join(dir, 'graph.json')]).toString();
  const [answer] = output.trim().split('\n').map((line) => JSON.parse(line));
  assert.equal(answer.probabilities.length, probe.probabilities.length);
  answer.probabilities.forEach((p, at) => assert.ok(Math.abs(p - probe.probabilities[at]) <= 1e-5, `class ${at}: runner ${p}, page ${probe.probabilities[at]}`));
  assert.equal(answer.class, probe.probabilities.indexOf(Math.max(...probe.probabilities)));
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
  await context.close();
});

/** The digits' first sample of `digit`, as 64 pixels in [0, 1] (data/digits.csv.gz). */
async function digitSample(digit) {
  const { gunzipSync } = await import('node:zlib');
  const lines = gunzipSync(await readFile(join(root, 'data/digits.csv.gz'))).toString().trim().split('\n');
  const row = lines.map((line) => line.split(',').map(Number)).find((values) => values[64] === digit);
  return row.slice(0, 64).map((value) => value / 16);
}

test('the digits: a digit drawn on the pad is predicted, live, and the first layer\'s weights are 8×8 images', async () => {
  const kindling = await env.open({ query: '?backend=cpu', hasTouch: true });
  await kindling.byTestId('templates').selectOption('digits');
  await kindling.setParam('EpochTracker', 'total_epochs', '30');
  await kindling.byTestId('train-button').click();
  // Drawn while the run is paused after an epoch: the answer is that model's, until it resumes.
  await kindling.waitForEpochs(1);
  await kindling.byTestId('pause-button').click();
  await kindling.waitForStatus('paused');
  const pad = kindling.byTestId('draw-pad');
  await pad.waitFor();
  await pad.scrollIntoViewIfNeeded();
  assert.equal(await pad.locator('[data-cell]').count(), 64);
  // Draw a zero as the data has them: a stroke through every inked cell of a real 0.
  const zero = await digitSample(0);
  const cells = zero.map((ink, cell) => [ink, cell]).filter(([ink]) => ink >= 0.5).map(([, cell]) => cell);
  const centre = async (cell) => {
    const box = await pad.locator(`[data-cell="${cell}"]`).boundingBox();
    return [box.x + box.width / 2, box.y + box.height / 2];
  };
  // A dab on each cell: a stroke from one row's end to the next row's start would ink the
  // cells between.
  for (const cell of cells) {
    const [x, y] = await centre(cell);
    await kindling.page.mouse.move(x, y);
    await kindling.page.mouse.down();
    await kindling.page.mouse.up();
  }
  const inked = await pad.locator('[data-cell]').evaluateAll((all) => all.filter((cell) => Number(cell.dataset.value) === 1).map((cell) => Number(cell.dataset.cell)));
  for (const cell of cells) assert.ok(inked.includes(cell), `cell ${cell} inked`);
  const probe = kindling.byTestId('probe');
  await probe.waitFor();
  assert.equal(JSON.parse(await probe.getAttribute('data-probabilities')).length, 10);
  const early = await probe.getAttribute('data-probabilities');
  // It follows the model as it trains.
  await kindling.byTestId('resume-button').click();
  await kindling.page.waitForFunction((early) => document.querySelector('[data-testid="probe"]')?.dataset.probabilities !== early, early);
  assert.equal(await kindling.waitWhileTraining(180_000), 'done');
  await kindling.page
    .waitForFunction(() => document.querySelector('[data-testid="probe"]')?.dataset.class === '0', null, { timeout: 15_000 })
    .catch(async () => assert.fail(`the zero drawn is taken for ${await probe.getAttribute('data-class')}: ${await probe.getAttribute('data-probabilities')}`));
  const probabilities = JSON.parse(await probe.getAttribute('data-probabilities'));
  assert.ok(Math.abs(probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-5);
  assert.equal(await probe.locator('.probe-bar').count(), 10);
  // The first layer's weights: one 8×8 image per unit.
  const weights = kindling.byTestId('input-weights');
  const shown = Number(await weights.getAttribute('data-shown'));
  assert.ok(shown > 0 && shown <= 64);
  assert.equal(await weights.locator('[data-unit]').count(), shown);
  assert.deepEqual(await weights.locator('[data-unit="0"]').evaluate((canvas) => [canvas.width, canvas.height]), [8, 8]);
  // Clear: a blank pad.
  await kindling.byTestId('draw-pad-clear').click();
  assert.equal(await pad.locator('[data-cell][data-value="0"]').count(), 64);
  // A finger's stroke across the fourth row inks each cell it crosses (a touch keeps its
  // first target: the pad finds the cell under it).
  const cdp = await kindling.page.context().newCDPSession(kindling.page);
  const row = [24, 25, 26, 27, 28, 29, 30, 31];
  const [startX, startY] = await centre(row[0]);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: startX, y: startY }] });
  for (const cell of row.slice(1)) {
    const [x, y] = await centre(cell);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y }] });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  const stroke = await pad.locator('[data-cell]').evaluateAll((all) => all.filter((cell) => Number(cell.dataset.value) === 1).map((cell) => Number(cell.dataset.cell)));
  assert.deepEqual(stroke, row);
  await kindling.byTestId('draw-pad-clear').click();
  // The mistakes as images, each labelled as the confusion matrix counts it.
  const mistakes = kindling.byTestId('mistakes');
  const wrong = await offDiagonal(kindling);
  assert.equal(Number(await mistakes.getAttribute('data-count')), wrong);
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});

test('the mistakes list matches the confusion matrix, rings its points, and a mistake clicked is asked about', async () => {
  const kindling = await env.open({ epochs: 3 });
  await kindling.byTestId('train-button').click();
  assert.equal(await kindling.waitWhileTraining(), 'done');
  const mistakes = kindling.byTestId('mistakes');
  await mistakes.waitFor();
  await mistakes.scrollIntoViewIfNeeded();
  const wrong = await offDiagonal(kindling);
  const count = Number(await mistakes.getAttribute('data-count'));
  assert.equal(count, wrong);
  assert.ok(count > 0, 'three epochs leave some of the spiral wrong');
  const listed = Number(await mistakes.getAttribute('data-listed'));
  assert.equal(listed, Math.min(count, 256));
  if (listed > 24) await kindling.byTestId('mistakes-more').click();
  const items = mistakes.locator('[data-sample]');
  await kindling.page.waitForFunction((n) => document.querySelectorAll('[data-testid="mistakes"] [data-sample]').length === n, listed);
  const first = items.first();
  const [label, predicted] = [await first.getAttribute('data-label'), await first.getAttribute('data-predicted')];
  assert.notEqual(label, predicted);
  assert.equal(await kindling.byTestId('boundary-mistakes').getAttribute('data-rings'), String(listed));
  // Asked about, the model predicts what the list says it predicted.
  await first.click();
  await kindling.page.waitForFunction((predicted) => document.querySelector('[data-testid="probe"]')?.dataset.class === predicted, predicted);
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});

test('a CSV dataset: a form of its features, filled with a sample\'s values, asks the model', async () => {
  const kindling = await env.open({ epochs: 10, query: '?backend=cpu' });
  const lines = ['width,height,kind'];
  for (let i = 0; i < 200; i++) {
    const c = i % 2;
    const wobble = ((i * 7919) % 100) / 100 - 0.5;
    lines.push(`${(c ? 30 : 10) + wobble},${(c ? 5 : 50) + wobble * 3},${c ? 'wide' : 'tall'}`);
  }
  await kindling.selectNode('Dataset');
  await kindling.page.locator('[data-testid="inspector"] [data-param="kind"]').selectOption('csv');
  await kindling.byTestId('dataset-file').setInputFiles({ name: 'shapes.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
  await kindling.page.waitForFunction(() => document.querySelector('[data-node-kind="Network"] [data-port$=":input"]')?.dataset.shape === '[32, 2]');
  await kindling.byTestId('train-button').click();
  assert.equal(await kindling.waitWhileTraining(), 'done');
  const form = kindling.byTestId('csv-probe');
  await form.waitFor();
  assert.deepEqual(await form.locator('[data-probe-feature]').evaluateAll((fields) => fields.map((field) => field.dataset.probeFeature)), ['width', 'height']);
  // Filled with a sample's values as the file has them.
  const width = Number(await form.locator('[data-probe-feature="width"]').inputValue());
  assert.ok(Math.abs(width - 10) < 1 || Math.abs(width - 30) < 1, `width ${width}`);
  const probe = form.locator('[data-testid="probe"]');
  await probe.waitFor();
  assert.match(await probe.locator('.probe-text').textContent(), /^This row: (wide|tall)$/);
  // A tall row, then a wide one, typed.
  await form.locator('[data-probe-feature="width"]').fill('10');
  await form.locator('[data-probe-feature="height"]').fill('50');
  await form.locator('[data-probe-feature="height"]').press('Enter');
  await kindling.page.waitForFunction(() => /tall$/.test(document.querySelector('[data-testid="csv-probe"] .probe-text')?.textContent ?? ''));
  await form.locator('[data-probe-feature="width"]').fill('30');
  await form.locator('[data-probe-feature="width"]').press('Enter');
  await form.locator('[data-probe-feature="height"]').fill('5');
  await form.locator('[data-probe-feature="height"]').press('Enter');
  await kindling.page.waitForFunction(() => /wide$/.test(document.querySelector('[data-testid="csv-probe"] .probe-text')?.textContent ?? ''));
  // Not a number: said where the learner is looking, and nothing asked.
  await form.locator('[data-probe-feature="width"]').fill('wide-ish');
  await form.locator('[data-probe-feature="width"]').press('Enter');
  assert.match(await kindling.byTestId('csv-probe-error').textContent(), /width: “wide-ish” is not a number/);
  // Only one answer on the page: the boundary of this 2-feature CSV shows none of its own.
  assert.equal(await kindling.page.locator('[data-testid="probe"]').count(), 1);
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});
