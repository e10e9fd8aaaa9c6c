import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../util/errors.js';
import { binaryMetrics } from './binary-metrics.js';
import { brierScore, expectedCalibrationError, reliabilityBins } from './calibration.js';
import { ConfusionMatrix, accuracy, confusionMatrix, f1Score, precision, recall, specificity } from './confusion-matrix.js';
import { midranks } from './midranks.js';
import { rocAuc, rocCurve } from './roc.js';

// One hand-worked set of 8 subjects with ties, used throughout:
//   positives (label 1): 0.9, 0.6, 0.4, 0.5     negatives (label 0): 0.7, 0.2, 0.5, 0.1
const labels = [1, 1, 1, 0, 0, 0, 0, 1];
const scores = [0.9, 0.6, 0.4, 0.7, 0.2, 0.5, 0.1, 0.5];

function near(actual: number, expected: number, tol = 1e-12): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not ${expected}`);
}

test('threshold metrics: hand-counted confusion matrix at 0.5 (score > 0.5 is malignant)', () => {
  // positives: 0.9 TP, 0.6 TP, 0.4 FN, 0.5 FN (0.5 is not > 0.5)  -> TP 2, FN 2
  // negatives: 0.7 FP, 0.2 TN, 0.5 TN, 0.1 TN                    -> FP 1, TN 3
  const cm = confusionMatrix(labels, scores);
  assert.deepEqual(cm.counts(), { tp: 2, fp: 1, tn: 3, fn: 2 });
  near(accuracy(labels, scores), 5 / 8); // (2 + 3) / 8 = 0.625
  near(precision(labels, scores), 2 / 3); // 2 / (2 + 1)
  near(recall(labels, scores), 2 / 4); // 2 / (2 + 2)
  near(specificity(labels, scores), 3 / 4); // 3 / (3 + 1)
  near(f1Score(labels, scores), 4 / 7); // 2*2 / (2*2 + 1 + 2) = 0.571429
  // at threshold 0.45 both 0.5s are called positive: TP 3, FN 1, FP 2, TN 2
  assert.deepEqual(confusionMatrix(labels, scores, 0.45).counts(), { tp: 3, fp: 2, tn: 2, fn: 1 });
});

test('confusion matrix accumulator: one at a time, in batches and merged across folds give the same counts', () => {
  const one = new ConfusionMatrix();
  labels.forEach((y, i) => one.add(y as 0 | 1, scores[i]!));
  const merged = new ConfusionMatrix().addAll(labels.slice(0, 3), scores.slice(0, 3)).merge(new ConfusionMatrix().addAll(labels.slice(3), scores.slice(3)));
  assert.deepEqual(one.counts(), merged.counts());
  assert.equal(merged.total, 8);
  assert.throws(() => one.merge(new ConfusionMatrix(0.3)), /thresholds differ/);
});

test('undefined metrics are NaN with the documented rule, never an exception', () => {
  // no positives: recall and AUC undefined; specificity defined
  const negOnly = binaryMetrics([0, 0, 0], [0.2, 0.7, 0.1]).values;
  assert.ok(Number.isNaN(negOnly.recall) && Number.isNaN(negOnly.auc));
  near(negOnly.specificity, 2 / 3);
  // positives but no predicted positives: precision NaN, F1 = 2*0 / (0 + 0 + 2) = 0
  const noneCalled = binaryMetrics([1, 1, 0], [0.1, 0.2, 0.3]).values;
  assert.ok(Number.isNaN(noneCalled.precision));
  assert.equal(noneCalled.f1, 0);
  // nothing at all
  const empty = binaryMetrics([], []).values;
  for (const v of Object.values(empty)) assert.ok(Number.isNaN(v));
  // a score that is not a probability (a Lung-RADS rank): Brier and ECE are NaN, AUC is not
  const ranks = binaryMetrics([1, 0, 1, 0], [5, 2, 4, 3], 2).values;
  assert.ok(Number.isNaN(ranks.brier) && Number.isNaN(ranks.ece));
  assert.equal(ranks.auc, 1);
});

test('bad labels or scores are InputErrors naming the function and index', () => {
  assert.throws(() => rocAuc([1, 2], [0.1, 0.2]), (e: unknown) => e instanceof InputError && /rocAuc: label 1 is 2/.test(e.message));
  assert.throws(() => accuracy([1, 0], [0.1]), /2 labels but 1 scores/);
  assert.throws(() => brierScore([1], [Number.NaN]), /score 0 is NaN/);
});

test('midranks: ties share the mean of their ranks', () => {
  // sorted 0.1 0.2 0.4 0.5 0.5 0.6 0.7 0.9 -> ranks 1 2 3 4.5 4.5 6 7 8
  assert.deepEqual([...midranks(scores)], [8, 6, 3, 7, 2, 4.5, 1, 4.5]);
  assert.deepEqual([...midranks([3, 3, 3])], [2, 2, 2]);
});

test('AUC with ties: pair counting by hand, midranks and the trapezoid under the ROC curve agree', () => {
  // pairs (positive vs each negative 0.7 0.2 0.5 0.1), 1 if higher, 0.5 if tied:
  //   0.9: 1 1 1 1 = 4;  0.6: 0 1 1 1 = 3;  0.4: 0 1 0 1 = 2;  0.5: 0 1 0.5 1 = 2.5
  //   AUC = 11.5 / 16 = 0.71875
  // midranks: R+ = 8 + 6 + 3 + 4.5 = 21.5; (21.5 - 4*5/2) / (4*4) = 11.5 / 16
  near(rocAuc(labels, scores), 0.71875);
  const curve = rocCurve(labels, scores);
  // thresholds 0.9 (P), 0.7 (N), 0.6 (P), 0.5 (P and N tied: a diagonal step), 0.4 (P), 0.2 (N), 0.1 (N)
  assert.deepEqual(curve.map((p) => [p.fpr, p.tpr]), [[0, 0], [0, 0.25], [0.25, 0.25], [0.25, 0.5], [0.5, 0.75], [0.5, 1], [0.75, 1], [1, 1]]);
  let area = 0;
  for (let i = 1; i < curve.length; i++) area += (curve[i]!.fpr - curve[i - 1]!.fpr) * (curve[i]!.tpr + curve[i - 1]!.tpr) / 2;
  near(area, 0.71875);
  assert.equal(curve[0]!.threshold, Infinity);
  assert.equal(curve[4]!.threshold, 0.5);
});

test('AUC: perfect, reversed and all-tied scores', () => {
  assert.equal(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]), 1);
  assert.equal(rocAuc([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1]), 0);
  assert.equal(rocAuc([0, 0, 1, 1], [0.5, 0.5, 0.5, 0.5]), 0.5);
  assert.deepEqual(rocCurve([1, 1], [0.2, 0.3]), []);
});

test('Brier score and ECE by hand', () => {
  // (0.9-1)^2 + (0.6-1)^2 + (0.4-1)^2 + 0.7^2 + 0.2^2 + 0.5^2 + 0.1^2 + (0.5-1)^2
  //   = 0.01 + 0.16 + 0.36 + 0.49 + 0.04 + 0.25 + 0.01 + 0.25 = 1.57; / 8 = 0.19625
  near(brierScore(labels, scores), 0.19625);
  // ten bins; each score alone in its bin except 0.5 (labels 0 and 1: observed 0.5 = predicted 0.5):
  //   |1-0.9| + |1-0.6| + |1-0.4| + |0-0.7| + |0-0.2| + |0-0.1| = 0.1+0.4+0.6+0.7+0.2+0.1 = 2.1, each
  //   weighted 1/8, plus bin [0.5, 0.6) weighted 2/8 x 0 -> ECE = 2.1 / 8 = 0.2625
  near(expectedCalibrationError(labels, scores), 0.2625);
  const bins = reliabilityBins(labels, scores);
  assert.equal(bins.length, 10);
  assert.deepEqual(bins.map((b) => b.count), [0, 1, 1, 0, 1, 2, 1, 1, 0, 1]);
  near(bins[5]!.observed, 0.5);
  assert.ok(Number.isNaN(bins[0]!.meanPredicted));
  // a score of exactly 1 falls in the last (closed) bin
  assert.equal(reliabilityBins([1], [1])[9]!.count, 1);
  // perfectly calibrated: p = 0.25 on four subjects with one positive -> ECE 0
  near(expectedCalibrationError([1, 0, 0, 0], [0.25, 0.25, 0.25, 0.25]), 0);
});

test('binaryMetrics gathers every metric with counts', () => {
  const m = binaryMetrics(labels, scores);
  assert.equal(m.n, 8);
  assert.equal(m.positives, 4);
  near(m.values.auc, 0.71875);
  near(m.values.f1, 4 / 7);
  near(m.values.brier, 0.19625);
});

test('AUC on a published rating-scale example: Hanley & McNeil 1982 (Radiology 143:29-36), Table 1', () => {
  // 109 CT images rated 1 (definitely normal) to 5 (definitely abnormal):
  //   normal   (58): 33, 6, 6, 11, 2      abnormal (51): 3, 2, 2, 11, 33
  // Published Wilcoxon area 0.893. By hand: pairs abnormal > normal
  //   = 2(33) + 2(33+6) + 11(33+6+6) + 33(33+6+6+11) = 66 + 78 + 495 + 1848 = 2487,
  //   ties = 3(33) + 2(6) + 2(6) + 11(11) + 33(2) = 99 + 12 + 12 + 121 + 66 = 310 -> 155;
  //   AUC = (2487 + 155) / (58 x 51) = 2642 / 2958 = 0.893171
  const counts = { normal: [33, 6, 6, 11, 2], abnormal: [3, 2, 2, 11, 33] };
  const labels: number[] = [];
  const ratings: number[] = [];
  counts.normal.forEach((c, r) => { for (let k = 0; k < c; k++) { labels.push(0); ratings.push(r + 1); } });
  counts.abnormal.forEach((c, r) => { for (let k = 0; k < c; k++) { labels.push(1); ratings.push(r + 1); } });
  near(rocAuc(labels, ratings), 2642 / 2958);
  assert.equal(rocAuc(labels, ratings).toFixed(3), '0.893');
});
