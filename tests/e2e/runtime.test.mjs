// End to end: the training loop's controls in headless Chromium, on the CPU backend —
// pause, resume, step a batch or an epoch, stop, reset; optimizer settings edited mid-run;
// other edits stopping the run with a notice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useReleaseBuild } from './fixture.mjs';

const env = useReleaseBuild();

/** The page, warmed up, with the default graph set to train for `epochs` epochs. */
const openPage = (epochs = 5000) => env.open({ epochs });

test('Pause holds training, Step runs one batch, Epoch runs to the epoch end, Resume goes on', async () => {
  const kindling = await openPage();
  await kindling.byTestId('train-button').click();
  await kindling.waitForEpochs(3);
  assert.ok((await kindling.value('samples-per-second')) > 0);
  await kindling.byTestId('pause-button').click();
  await kindling.waitForStatus('paused');
  await kindling.waitUntilHeld();
  const held = [await kindling.epochsDone(), ...(await kindling.batch())];
  await kindling.frames(5);
  assert.deepEqual([await kindling.epochsDone(), ...(await kindling.batch())], held, 'nothing runs while paused');
  const [before] = await kindling.batch();
  await kindling.byTestId('step-button').click();
  await kindling.page.waitForFunction((b) => Number(document.querySelector('[data-testid="batch"]').textContent.split('/')[0]) !== b, before);
  const [after, batches] = await kindling.batch();
  assert.equal(after, (before + 1) % batches, `batch ${before} → ${after}`);
  const epoch = await kindling.epochsDone();
  await kindling.byTestId('step-epoch-button').click();
  await kindling.waitForEpochs(epoch + 1);
  assert.equal((await kindling.batch())[0], 0, 'an epoch step ends at the epoch boundary');
  assert.equal(await kindling.status(), 'paused');
  await kindling.byTestId('resume-button').click();
  await kindling.waitForEpochs(epoch + 3);
  assert.equal(await kindling.status(), 'training');
  await kindling.byTestId('stop-button').click();
  await kindling.waitForStatus('idle');
  assert.ok((await kindling.byTestId('train-loss').getAttribute('data-value')) !== '', 'Stop keeps the charts');
  await kindling.byTestId('reset-button').click();
  assert.equal(await kindling.byTestId('train-loss').getAttribute('data-value'), '');
  assert.equal(await kindling.epochsDone(), 0);
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});

test('Step before Train starts a paused run and runs one batch of it', async () => {
  const kindling = await openPage();
  await kindling.byTestId('step-button').click();
  await kindling.waitForStatus('paused');
  await kindling.page.waitForFunction(() => document.querySelector('[data-testid="batch"]')?.textContent.startsWith('1/'));
  await kindling.close();
});

test('a learning rate edited mid-run applies from the next step, without restarting', async () => {
  const kindling = await openPage();
  await kindling.byTestId('train-button').click();
  await kindling.waitForEpochs(2);
  await kindling.setParam('SGDOptimizer', 'learning_rate', '0.001');
  await kindling.byTestId('notice').waitFor();
  assert.equal(await kindling.byTestId('notice').getAttribute('data-kind'), 'info');
  await kindling.page.waitForFunction(() => document.querySelector('[data-testid="lr"]')?.getAttribute('data-value') === '0.001');
  assert.equal(await kindling.status(), 'training');
  assert.ok((await kindling.epochsDone()) >= 2, 'the run went on; it did not restart');
  await kindling.byTestId('stop-button').click();
  await kindling.close();
});

test('a structural edit mid-run stops the run with a warning; it never mixes two graphs', async () => {
  const kindling = await openPage();
  await kindling.byTestId('train-button').click();
  await kindling.waitForEpochs(2);
  await kindling.setParam('BatchSampler', 'batch_size', '64');
  await kindling.waitForStatus('idle');
  assert.equal(await kindling.byTestId('notice').getAttribute('data-kind'), 'warning');
  assert.match(await kindling.notice(), /Training stopped/);
  await kindling.close();
});

/** The decision-boundary canvas: how many of its pixels lean to each of the first two class
 * colours (blue, orange), and a fingerprint of the image. */
async function boundaryPixels(page) {
  return page.evaluate(() => {
    const canvas = document.querySelector('[data-testid="decision-boundary"] canvas');
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let blue = 0, orange = 0, sum = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 2] > data[i] + 10) blue++;
      if (data[i] > data[i + 2] + 10) orange++;
      sum = (sum * 31 + data[i] + 7 * data[i + 1] + 13 * data[i + 2]) % 1000003;
    }
    return { blue, orange, cells: data.length / 4, sum };
  });
}

test('the data shows on the plane before a run; the decision boundary forms as the network trains: both classes take ground', async () => {
  const kindling = await openPage(200);
  const boundary = kindling.byTestId('decision-boundary');
  // Before a run: the graph's data, as it stands, on a blank plane.
  assert.ok(await boundary.isVisible(), 'the data shows before a run');
  const points = () => kindling.byTestId('boundary-points').getAttribute('data-points');
  assert.equal(await points(), '1000');
  await kindling.setParam('Dataset', 'samples', '400');
  await kindling.page.waitForFunction(() => document.querySelector('[data-testid="boundary-points"]')?.dataset.points === '400');
  await kindling.setParam('Dataset', 'samples', '1000');
  await kindling.page.waitForFunction(() => document.querySelector('[data-testid="boundary-points"]')?.dataset.points === '1000');
  assert.equal(await boundary.getAttribute('data-updates'), '0');
  const blank = await boundaryPixels(kindling.page);
  assert.equal(blank.blue + blank.orange, 0, 'no answer before a run: a blank plane');
  await kindling.byTestId('step-button').click();
  await kindling.page.waitForFunction(() => Number(document.querySelector('[data-testid="decision-boundary"]')?.dataset.updates) >= 1);
  const first = await boundaryPixels(kindling.page);
  await kindling.byTestId('resume-button').click();
  await kindling.waitWhileTraining();
  const last = await boundaryPixels(kindling.page);
  assert.notEqual(last.sum, first.sum, 'the picture changed as it trained');
  assert.ok(last.blue > last.cells * 0.2 && last.orange > last.cells * 0.2, JSON.stringify(last));
  // The data points are drawn on top, on a canvas of their own.
  assert.equal(await kindling.byTestId('boundary-points').getAttribute('data-points'), '1000');
  const dots = await kindling.page.evaluate(() => {
    const canvas = document.querySelector('[data-testid="boundary-points"]');
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let drawn = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) drawn++;
    return drawn / (data.length / 4);
  });
  assert.ok(dots > 0.05 && dots < 0.9, `the dots cover part of the plane: ${dots}`);
  assert.match(await boundary.locator('figcaption').textContent(), /Decision boundary/);
  await kindling.close();
});

test('clicking the plane asks the model about that point: class probabilities that sum to 1, live as it trains, and after the run', async () => {
  const kindling = await openPage(60);
  const probe = kindling.byTestId('probe');
  const plot = kindling.page.locator('[data-testid="decision-boundary"] .boundary-plot');
  // Nothing to ask before the network has answered.
  await plot.click({ position: { x: 60, y: 120 } });
  assert.equal(await probe.count(), 0);
  await kindling.byTestId('step-button').click();
  await kindling.page.waitForFunction(() => Number(document.querySelector('[data-testid="decision-boundary"]')?.dataset.updates) >= 1);
  const box = await plot.boundingBox();
  await plot.click({ position: { x: box.width / 4, y: box.height / 2 } });
  await probe.waitFor();
  const read = async () => ({
    probabilities: JSON.parse(await probe.getAttribute('data-probabilities')),
    predicted: Number(await probe.getAttribute('data-class')),
  });
  const early = await read();
  assert.equal(early.probabilities.length, 2);
  assert.ok(Math.abs(early.probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-5, JSON.stringify(early));
  assert.equal(early.predicted, early.probabilities.indexOf(Math.max(...early.probabilities)));
  assert.match(await probe.textContent(), /^At \(-0\.[56]\d*, -?0(\.\d+)?\): class \d/);
  await kindling.byTestId('resume-button').click();
  assert.equal(await kindling.waitWhileTraining(), 'done');
  // It followed the training: the final model's answer differs from the first step's.
  await kindling.page.waitForFunction((first) => document.querySelector('[data-testid="probe"]')?.dataset.probabilities !== first, JSON.stringify(early.probabilities));
  const late = await read();
  assert.ok(Math.abs(late.probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-5);
  // After the run the model still answers, at another point.
  await plot.click({ position: { x: (3 * box.width) / 4, y: box.height / 4 } });
  await kindling.page.waitForFunction(() => /^At \(0\.[56]/.test(document.querySelector('[data-testid="probe"]')?.textContent ?? ''));
  assert.equal(await kindling.page.locator('.probe-marker').count(), 1);
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});

test('divergence (learning rate 1000) pauses within a step and says what to change', async () => {
  const kindling = await openPage(200);
  await kindling.setParam('SGDOptimizer', 'learning_rate', '1000');
  await kindling.byTestId('train-button').click();
  await kindling.waitForStatus('paused', 30_000);
  assert.equal(await kindling.byTestId('notice').getAttribute('data-kind'), 'error');
  const said = await kindling.notice();
  assert.match(said, /diverged/);
  assert.match(said, /learning rate is 1000/);
  assert.match(said, /gradient_clip/);
  // Lowering the rate and resuming goes on from the kept weights.
  await kindling.setParam('SGDOptimizer', 'learning_rate', '0.03');
  await kindling.byTestId('resume-button').click();
  await kindling.waitWhileTraining();
  assert.equal(await kindling.status(), 'done');
  await kindling.close();
});

test('charts show validation and learning rate, the previous run dashed, a log scale and a hover readout', async () => {
  const kindling = await openPage(30);
  await kindling.byTestId('templates').selectOption('with_validation');
  await kindling.setParam('EpochTracker', 'total_epochs', '20');
  for (let run = 0; run < 2; run++) {
    await kindling.byTestId('train-button').click();
    await kindling.waitWhileTraining();
  }
  const loss = kindling.byTestId('loss-chart');
  const labels = (await loss.locator('svg text').allTextContents()).map((text) => text.trim());
  assert.ok(labels.includes('train') && labels.includes('validation') && labels.includes('previous run'), labels.join('|'));
  assert.ok((await kindling.value('val-loss')) > 0);
  assert.ok((await kindling.value('lr')) > 0);
  assert.equal(await kindling.byTestId('lr-chart').locator('svg').count(), 1);
  await kindling.byTestId('log-scale').check();
  await kindling.page.waitForFunction(() => [...document.querySelectorAll('[data-testid="loss-chart"] svg text')].some((t) => /e-?\d/.test(t.textContent)));
  const box = await loss.boundingBox();
  await kindling.page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5);
  assert.match(await kindling.text('loss-chart-readout'), /^epoch \d+: loss [\d.]+, validation [\d.]+$/);
  await kindling.close();
});

test('a classifier shows its confusion matrix and per-class accuracy', async () => {
  const kindling = await openPage(30);
  await kindling.byTestId('templates').selectOption('digits');
  await kindling.setParam('EpochTracker', 'total_epochs', '5');
  await kindling.byTestId('train-button').click();
  await kindling.waitWhileTraining();
  const matrix = kindling.byTestId('confusion-matrix');
  assert.equal(await matrix.getAttribute('data-classes'), '10');
  assert.match(await matrix.locator('figcaption').textContent(), /validation/);
  const counts = await matrix.locator('td[data-count]').evaluateAll((cells) => cells.map((c) => Number(c.dataset.count)));
  assert.equal(counts.length, 100);
  assert.equal(counts.reduce((a, b) => a + b, 0), 359, 'every held-out digit counted once');
  const perClass = await matrix.locator('[data-testid="class-accuracy"]').evaluateAll((cells) => cells.map((c) => Number(c.dataset.value)));
  assert.equal(perClass.length, 10);
  assert.ok(perClass.every((a) => a > 0.5), perClass.join());
  assert.ok(await kindling.byTestId('decision-boundary').isHidden(), '8×8 images have no plane to draw');
  await kindling.close();
});

test('a wide network: the views refresh while it trains and once at the end; with ?views=off only at the end', async () => {
  for (const query of ['?backend=cpu', '?backend=cpu&views=off']) {
    const kindling = await env.open({ query, epochs: 30 });
    // 2-256-256-2 on 4096 points: a refresh of its views is ≈ 0.85 GFLOP, cut into pieces.
    await kindling.setParam('Dataset', 'samples', '4096');
    await kindling.setParam('BatchSampler', 'batch_size', '64');
    await kindling.setParam('Network', 'layers', 'Linear(256), ReLU, Linear(256), ReLU, Linear(2)');
    await kindling.byTestId('train-button').click();
    await kindling.waitForEpochs(10);
    const updates = async () => Number(await kindling.byTestId('decision-boundary').getAttribute('data-updates'));
    const during = await updates();
    assert.equal(await kindling.status(), 'training', `${query}: still training at epoch 10`);
    await kindling.waitWhileTraining();
    const after = await updates();
    if (query.includes('views=off')) {
      assert.equal(during, 0, 'no refresh while training');
      assert.equal(after, 1, 'one refresh at the end');
    } else {
      assert.ok(during >= 1, `the boundary refreshed while training (${during})`);
      assert.ok(after > during, `and once more at the end (${during} → ${after})`);
    }
    assert.equal(await kindling.byTestId('boundary-points').getAttribute('data-points'), '4096');
    assert.deepEqual(kindling.errors, []);
    await kindling.close();
  }
});
