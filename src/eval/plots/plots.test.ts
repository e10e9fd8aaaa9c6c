import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reliabilityBins } from '../calibration.js';
import { rocAuc, rocCurve } from '../roc.js';
import { calibrationPlotSvg } from './calibration-plot.js';
import { confusionMatrixPlotSvg } from './confusion-matrix-plot.js';
import { renameIds, renderVegaLiteSvg } from './render-svg.js';
import { rocPlotSvg } from './roc-plot.js';
import { trainingCurvesPlotSvg } from './training-curves-plot.js';

const labels = [1, 1, 1, 0, 0, 0, 0, 1];
const a = [0.9, 0.6, 0.4, 0.7, 0.2, 0.5, 0.1, 0.5];
const b = [0.8, 0.7, 0.6, 0.3, 0.2, 0.4, 0.1, 0.3];

function assertSvg(svg: string): void {
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.ok(svg.trimEnd().endsWith('</svg>'));
  // self-contained: no link to anything outside the document
  assert.doesNotMatch(svg.replace(/xmlns(:xlink)?="[^"]*"/g, ''), /https?:|href="(?!#)/);
}

test('roc plot: several models on one SVG, AUC in the legend, same bytes every time', async () => {
  const series = [
    { name: 'CSF-Net', points: rocCurve(labels, a), auc: rocAuc(labels, a) },
    { name: 'Brock', points: rocCurve(labels, b), auc: rocAuc(labels, b) },
  ];
  const svg = await rocPlotSvg(series);
  assertSvg(svg);
  assert.ok(svg.includes('CSF-Net (AUC 0.719)'), 'legend names the model with its AUC (11.5 / 16)');
  // Brock: positives 0.8 0.7 0.6 0.3 vs negatives 0.3 0.2 0.4 0.1: 4 + 4 + 4 + (0.5 + 1 + 0 + 1) = 14.5 / 16
  assert.ok(svg.includes('Brock (AUC 0.906)'));
  assert.ok(svg.includes('1 - specificity'));
  // two curves plus the diagonal are three line paths
  assert.equal((svg.match(/class="mark-line role-mark/g) ?? []).length, 3);
  assert.equal(await rocPlotSvg(series), svg, 'deterministic, whatever was rendered before');
});

test('calibration, training-curve and confusion-matrix plots render', async () => {
  const cal = await calibrationPlotSvg([{ name: 'CSF-Net', bins: reliabilityBins(labels, a) }]);
  assertSvg(cal);
  assert.ok(cal.includes('observed fraction malignant'));
  const curves = await trainingCurvesPlotSvg([
    { fold: 1, epochs: [{ epoch: 1, trainLoss: 0.7, valLoss: 0.69, valAuc: 0.6 }, { epoch: 2, trainLoss: 0.5, valLoss: 0.6, valAuc: 0.7 }] },
    { fold: 2, epochs: [{ epoch: 1, trainLoss: 0.72, valLoss: 0.7 }, { epoch: 2, trainLoss: 0.55, valAuc: 0.66 }] },
  ]);
  assertSvg(curves);
  assert.ok(curves.includes('validation AUC') && curves.includes('fold 2'));
  const cm = await confusionMatrixPlotSvg([{ name: 'CSF-Net', tp: 14, fn: 1, fp: 3, tn: 21 }, { name: 'Brock', tp: 9, fn: 6, fp: 5, tn: 19 }]);
  assertSvg(cm);
  // the paper's 39-subject split: every count appears as cell text
  for (const n of ['14', '21', '19']) assert.ok(cm.includes(`>${n}</text>`), `count ${n} drawn`);
});

test('ids are renamed per plot so plots can share a page', async () => {
  assert.equal(renameIds('<svg><clipPath id="clip7"/><g clip-path="url(#clip7)"/><use href="#clip7"/></svg>', 'p'), '<svg><clipPath id="p-1"/><g clip-path="url(#p-1)"/><use href="#p-1"/></svg>');
  const svg = await rocPlotSvg([{ name: 'x', points: rocCurve(labels, a) }], { idPrefix: 'first' });
  const ids = [...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);
  assert.ok(ids.every((id) => id.startsWith('first-')), ids.join(','));
});

test('the renderer refuses to load data: plots work offline or not at all', async () => {
  await assert.rejects(renderVegaLiteSvg({ data: { url: 'https://example.org/data.csv' }, mark: 'point' }, 'x'), /offline/);
});

test('a spec mistake is an error, not a line printed on the console', async () => {
  await assert.rejects(renderVegaLiteSvg({ data: { values: [{ a: 1 }] }, mark: 'point', encoding: { x: { field: 'a', type: 'quantitative', aggregate: 'nonsense' as 'sum' } } }, 'x'), /Vega-Lite/);
});
