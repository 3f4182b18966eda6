// End to end: Explain mode and what a classroom needs (issue 31) — `?` and the toolbar's
// switch turn Explain mode on; pointing at anything, or moving the focus onto it, explains it;
// every visible element with a `data-testid` (and every node, port, wire and parameter)
// carries a `data-explain` that the page explains; the optimizer's formula plugs in the run's
// learning rate and a measured gradient. Dark mode follows the system; the graph, the charts
// and the views save as SVG and PNG.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { useReleaseBuild } from './fixture.mjs';

const env = useReleaseBuild();

/** Points at `element` as the pointer does (a `pointerover` that bubbles), and reads what the
 * explanation says of it. */
async function pointAt(kindling, handle) {
  return kindling.page.evaluate(async (element) => {
    element.dispatchEvent(new PointerEvent('pointerover', { bubbles: true }));
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    const panel = document.querySelector('[data-testid="explanation"]');
    return { key: panel.dataset.key, explained: panel.dataset.explained, text: panel.textContent };
  }, handle);
}

/** Moves the keyboard's focus onto `element`'s first button, and reads what the explanation
 * says then. */
async function focusIn(kindling, handle) {
  return kindling.page.evaluate(async (element) => {
    element.querySelector('button').focus();
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    const panel = document.querySelector('[data-testid="explanation"]');
    return { key: panel.dataset.key, explained: panel.dataset.explained, text: panel.textContent };
  }, handle);
}

/** Every visible element of the page carrying `selector`. */
async function visible(kindling, selector) {
  const handles = await kindling.page.$$(selector);
  const shown = [];
  for (const handle of handles) {
    if (await handle.isVisible()) shown.push(handle);
  }
  return shown;
}

test('? turns Explain mode on; pointing and focusing explain; every visible element is explained', async () => {
  const kindling = await env.open({ epochs: 3 });
  assert.equal(await kindling.byTestId('explanation').count(), 0, 'off at first');
  // Out of the inspector's field (where `?` is typed, not a shortcut).
  await kindling.page.evaluate(() => document.activeElement?.blur());
  await kindling.page.keyboard.press('?');
  await kindling.byTestId('explanation').waitFor();
  assert.equal(await kindling.byTestId('explain-toggle').getAttribute('aria-pressed'), 'true');
  // The pointer: the real mouse over Train.
  await kindling.byTestId('train-button').hover();
  await kindling.page.locator('[data-testid="explanation"][data-key="train-button"][data-explained="true"]').waitFor();
  assert.match(await kindling.byTestId('explanation').textContent(), /Train/);
  // The pointer moved into the panel (to scroll it) keeps what it explains.
  await kindling.byTestId('explanation').hover();
  assert.equal(await kindling.byTestId('explanation').getAttribute('data-key'), 'train-button');
  // The keyboard: the focus moved onto a control explains it.
  await kindling.byTestId('share-button').focus();
  await kindling.page.locator('[data-testid="explanation"][data-key="share-button"]').waitFor();

  // Train, so that the charts and the views inside the network are drawn too.
  await kindling.byTestId('train-button').click();
  assert.equal(await kindling.waitWhileTraining(), 'done');
  await kindling.chartsDrawn();

  const unexplained = [];
  let walked = 0;
  for (const handle of await visible(kindling, '[data-testid]')) {
    const [id, key] = await handle.evaluate((element) => [element.dataset.testid, element.dataset.explain]);
    if (!key) {
      unexplained.push(`${id}: no data-explain`);
      continue;
    }
    // The panel keeps its explanation under the pointer (to be read); it explains itself to
    // the keyboard's focus.
    const shown = id === 'explanation' ? await focusIn(kindling, handle) : await pointAt(kindling, handle);
    walked += 1;
    if (shown.key !== key || shown.explained !== 'true') unexplained.push(`${id} (${key}): ${shown.explained} for ${shown.key}`);
  }
  // The graph's own things: nodes, ports, wires, parameters in the inspector.
  await kindling.selectNode('SGDOptimizer');
  for (const handle of await visible(kindling, '.node[data-explain], .port[data-explain], path.wire[data-explain], .param[data-explain], [data-palette][data-explain]')) {
    const key = await handle.evaluate((element) => element.dataset.explain);
    const shown = await pointAt(kindling, handle);
    walked += 1;
    if (shown.key !== key || shown.explained !== 'true') unexplained.push(`${key}: ${shown.explained} for ${shown.key}`);
  }
  assert.deepEqual(unexplained, [], 'every element explained');
  assert.ok(walked >= 100, `${walked} elements walked`);

  // Escape leaves it; the switch turns it on and off again.
  await kindling.page.evaluate(() => document.activeElement?.blur());
  await kindling.page.keyboard.press('Escape');
  await kindling.byTestId('explanation').waitFor({ state: 'detached' });
  await kindling.byTestId('explain-toggle').click();
  await kindling.byTestId('explanation').waitFor();
  await kindling.byTestId('explain-toggle').click();
  await kindling.byTestId('explanation').waitFor({ state: 'detached' });
  await kindling.close();
});

test('the SGD update shows the run’s learning rate and each layer’s measured step', async () => {
  const kindling = await env.open({ epochs: 2 });
  await kindling.byTestId('train-button').click();
  assert.equal(await kindling.waitWhileTraining(), 'done');
  const rate = await kindling.value('lr');
  await kindling.byTestId('explain-toggle').click();
  await kindling.node('SGDOptimizer').hover();
  const formula = kindling.byTestId('explanation-formula');
  await formula.waitFor();
  const text = await formula.textContent();
  // The default graph's SGD has momentum: v ← 0.9·v + g, then w ← w − η·v at this run's rate.
  assert.match(text, /v ← 0\.9·v \+ g/);
  const shownRate = Number(rate.toPrecision(4)).toString();
  assert.ok(text.includes(`w ← w − ${shownRate}·v`), `${text} shows the rate ${rate}`);
  // Each linear layer: the gradient measured, η·‖∇W‖ with the numbers, and the step taken.
  const lines = await formula.locator('tr').allTextContents();
  const layers = lines.filter((line) => line.startsWith('Linear layer'));
  assert.equal(layers.length, 3, lines.join('\n'));
  for (const line of layers) {
    const [, gradient, product, measured] = line.match(/‖∇W‖ = ([\d.e-]+), η·‖∇W‖ = ([\d.e-]+);.*measured ‖ΔW‖ = ([\d.e-]+)/) ?? [];
    assert.ok(gradient && product && measured, line);
    assert.ok(Math.abs(Number(product) - rate * Number(gradient)) <= 1e-3 * Number(product), line);
  }
  // A loss: its value, and what a guess would score.
  await kindling.node('CrossEntropyLoss').hover();
  await kindling.page.waitForFunction(() => document.querySelector('[data-testid="explanation-formula"]')?.textContent.includes('ln 2 = 0.6931'));
  await kindling.close();
});

test('dark mode follows the system: the page and the charts’ axes turn light on dark', async () => {
  const kindling = await env.open({ epochs: 2 });
  await kindling.byTestId('train-button').click();
  assert.equal(await kindling.waitWhileTraining(), 'done');
  await kindling.chartsDrawn();
  /** The page's background and text, and a loss-chart label's fill, as relative luminances. */
  const luminances = () =>
    kindling.page.evaluate(() => {
      const luminance = (colour) => {
        const [r, g, b] = colour.match(/[\d.]+/g).slice(0, 3).map((c) => Number(c) / 255);
        const linear = (c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
        return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
      };
      const label = document.querySelector('[data-testid="loss-chart"] svg text');
      return {
        page: luminance(getComputedStyle(document.documentElement).backgroundColor),
        ink: luminance(getComputedStyle(document.body).color),
        label: luminance(getComputedStyle(label).fill),
      };
    });
  const light = await luminances();
  assert.ok(light.page > 0.8 && light.ink < 0.1 && light.label < 0.1, JSON.stringify(light));
  await kindling.page.emulateMedia({ colorScheme: 'dark' });
  const dark = await luminances();
  assert.ok(dark.page < 0.05, `a dark page: ${JSON.stringify(dark)}`);
  // Body text and the charts' labels at 4.5:1 or more against the page.
  const contrast = (a, b) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  assert.ok(contrast(dark.ink, dark.page) >= 4.5 && contrast(dark.label, dark.page) >= 4.5, JSON.stringify(dark));
  await kindling.close();
});

/** Clicks `button` and reads the file it offers: its name and its bytes. */
async function saved(kindling, button) {
  const [download] = await Promise.all([kindling.page.waitForEvent('download'), button.click()]);
  return { name: download.suggestedFilename(), bytes: await readFile(await download.path()) };
}

/** How many of a PNG's pixels differ from its first one, decoded by the page. */
function drawnPixels(kindling, png) {
  return kindling.page.evaluate(async (base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d');
    context.drawImage(bitmap, 0, 0);
    const data = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
    let differing = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i] - data[0]) + Math.abs(data[i + 1] - data[1]) + Math.abs(data[i + 2] - data[2]) > 30) differing += 1;
    }
    return { width: bitmap.width, height: bitmap.height, differing };
  }, png.toString('base64'));
}

test('the graph, each chart and each view save as SVG and PNG, whole and in the page’s colours', async () => {
  const kindling = await env.open({ epochs: 3 });
  await kindling.byTestId('train-button').click();
  assert.equal(await kindling.waitWhileTraining(), 'done');
  await kindling.chartsDrawn();
  // The graph: every node, whatever the view shows of it.
  const graphButton = (format) => kindling.page.locator(`[data-testid="save-${format}"][data-picture="kindling-graph"]`);
  const graphSvg = await saved(kindling, graphButton('svg'));
  assert.equal(graphSvg.name, 'kindling-graph.svg');
  const text = graphSvg.bytes.toString('utf8');
  assert.match(text, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  for (const kind of ['Dataset', 'BatchSampler', 'GetBatch', 'Network', 'CrossEntropyLoss', 'SGDOptimizer', 'TrainingStep', 'EpochTracker']) {
    assert.ok(text.includes(`>${kind}<`), `the picture shows ${kind}`);
  }
  assert.ok(!text.includes(' class='), 'styles written in, no stylesheet needed');
  const parsed = await kindling.page.evaluate((svg) => new DOMParser().parseFromString(svg, 'image/svg+xml').querySelector('parsererror') === null, text);
  assert.ok(parsed, 'well-formed SVG');
  const graphPng = await saved(kindling, graphButton('png'));
  assert.equal(graphPng.name, 'kindling-graph.png');
  assert.deepEqual([...graphPng.bytes.subarray(1, 4)], [...Buffer.from('PNG')]);
  const graphPixels = await drawnPixels(kindling, graphPng.bytes);
  assert.ok(graphPixels.width > 800 && graphPixels.differing > 5000, JSON.stringify(graphPixels));

  // A chart, the decision boundary and the confusion matrix.
  for (const name of ['loss-chart', 'decision-boundary', 'confusion-matrix', 'neuron-view', 'activation-histograms']) {
    await kindling.page.locator(`[data-testid="save-svg"][data-picture="${name}"]`).scrollIntoViewIfNeeded();
    const svg = await saved(kindling, kindling.page.locator(`[data-testid="save-svg"][data-picture="${name}"]`));
    assert.equal(svg.name, `${name}.svg`);
    const png = await saved(kindling, kindling.page.locator(`[data-testid="save-png"][data-picture="${name}"]`));
    const pixels = await drawnPixels(kindling, png.bytes);
    assert.ok(pixels.differing > 1000, `${name}: ${JSON.stringify(pixels)}`);
    if (name === 'loss-chart') assert.match(svg.bytes.toString('utf8'), /<text[^>]*>\s*Loss\s*<\/text>/);
    if (name === 'decision-boundary') assert.match(svg.bytes.toString('utf8'), /<image [^>]*href="data:image\/png;base64,/);
    if (name === 'confusion-matrix') assert.match(svg.bytes.toString('utf8'), />true \\ predicted</);
  }
  assert.equal(await kindling.page.locator('[data-picture-error]').count(), 0);
  assert.deepEqual(kindling.errors, []);
  await kindling.close();
});
