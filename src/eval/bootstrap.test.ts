import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../util/random.js';
import { bootstrapInterval, bootstrapMetrics, quantileSorted } from './bootstrap.js';
import { accuracy } from './confusion-matrix.js';
import { rocAuc } from './roc.js';

test('quantileSorted is R type 7 (linear between order statistics)', () => {
  // h = (4 - 1) q: q = 0.025 -> h = 0.075 -> 1 + 0.075 (2 - 1) = 1.075; q = 0.975 -> h = 2.925 -> 3.925
  assert.ok(Math.abs(quantileSorted([1, 2, 3, 4], 0.025) - 1.075) < 1e-12);
  assert.ok(Math.abs(quantileSorted([1, 2, 3, 4], 0.975) - 3.925) < 1e-12);
  assert.equal(quantileSorted([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(quantileSorted([7], 0.3), 7);
  assert.ok(Number.isNaN(quantileSorted([], 0.5)));
});

test('bootstrap is seeded: same seed, same interval; another seed, another interval', () => {
  const rng = new Rng(3);
  const labels = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? 1 : 0));
  const scores = labels.map((y) => Math.min(1, Math.max(0, 0.35 + 0.3 * y + rng.normal(0, 0.2))));
  const a = bootstrapInterval(labels, scores, rocAuc, { seed: 11, resamples: 300 });
  const b = bootstrapInterval(labels, scores, rocAuc, { seed: 11, resamples: 300 });
  const c = bootstrapInterval(labels, scores, rocAuc, { seed: 12, resamples: 300 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.ok(a.lower <= a.value && a.value <= a.upper);
  assert.equal(a.valid, 300);
});

test('stratified resampling keeps the class counts; plain resampling does not', () => {
  const labels = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
  const scores = labels.map((_, i) => i / 10);
  const prevalence = (l: readonly number[]): number => l.reduce((a, y) => a + y, 0) / l.length;
  const strat = bootstrapInterval(labels, scores, prevalence, { seed: 1, resamples: 200 });
  assert.deepEqual([strat.lower, strat.upper], [0.3, 0.3]);
  const plain = bootstrapInterval(labels, scores, prevalence, { seed: 1, resamples: 200, stratified: false });
  assert.ok(plain.lower < 0.3 && plain.upper > 0.3);
});

test('percentile interval of an accuracy agrees with the binomial normal approximation', () => {
  // 100 subjects, 80 classified correctly: accuracy 0.8, se = sqrt(0.8 x 0.2 / 100) = 0.04,
  // normal 95% interval 0.8 -/+ 1.96 x 0.04 = [0.7216, 0.8784]; the bootstrap should be within 0.015.
  const labels = Array.from({ length: 100 }, (_, i) => i % 2);
  const scores = labels.map((y, i) => (i < 80 ? (y === 1 ? 0.9 : 0.1) : y === 1 ? 0.1 : 0.9));
  const r = bootstrapInterval(labels, scores, accuracy, { seed: 5, resamples: 4000, stratified: false });
  assert.equal(r.value, 0.8);
  assert.ok(Math.abs(r.lower - 0.7216) < 0.015, `lower ${r.lower}`);
  assert.ok(Math.abs(r.upper - 0.8784) < 0.015, `upper ${r.upper}`);
});

test('bootstrapMetrics: every metric, undefined resamples left out and counted', () => {
  // one predicted positive among 30: many resamples have no predicted positive, so precision is NaN there
  const labels = Array.from({ length: 30 }, (_, i) => (i < 10 ? 1 : 0));
  const scores = labels.map((_, i) => (i === 0 ? 0.9 : 0.2 + i / 100));
  const m = bootstrapMetrics(labels, scores, { seed: 2, resamples: 500 });
  assert.equal(m.auc.valid, 500);
  assert.ok(m.precision.valid < 500 && m.precision.valid > 0, `precision valid ${m.precision.valid}`);
  assert.equal(m.precision.value, 1);
  assert.equal(m.recall.value, 0.1);
  for (const iv of Object.values(m)) assert.ok(!(iv.lower > iv.upper));
  const empty = bootstrapMetrics([], [], { seed: 1, resamples: 10 });
  assert.ok(Number.isNaN(empty.auc.lower) && empty.auc.valid === 0);
});
