// End to end: Explain mode (issue 31) — `?` and the toolbar's switch turn it on; pointing at
// anything, or moving the focus onto it, explains it; every visible element with a
// `data-testid` (and every node, port, wire and parameter) carries a `data-explain` that the
// page explains; the optimizer's formula plugs in the run's learning rate and a measured
// gradient.
import { test } from 'node:test';
import assert from 'node:assert/strict';
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
    const shown = await pointAt(kindling, handle);
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

  // The switch turns it off again, and nothing is outlined then.
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
