import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../util/random.js';
import { crossValidatedScores, fitLogistic, predictLogistic } from './logistic-regression.js';

/** Data from a known model: logit = -0.5 + 1.2 a - 0.8 b (a, b standard normal), plus a noise feature. */
function simulate(n: number, seed: number): { x: number[][]; y: number[] } {
  const rng = new Rng(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = rng.normal();
    const b = rng.normal();
    x.push([a, b, rng.normal()]);
    y.push(rng.bernoulli(1 / (1 + Math.exp(-(-0.5 + 1.2 * a - 0.8 * b)))) ? 1 : 0);
  }
  return { x, y };
}

test('maximum likelihood recovers the coefficients of the generating model', () => {
  const { x, y } = simulate(20000, 1);
  const m = fitLogistic(x, y, 0);
  // On standardised features the weight is coefficient x SD (SD about 1 here).
  assert.ok(Math.abs(m.weights[0]! / m.scale[0]! - 1.2) < 0.06, `a ${m.weights[0]! / m.scale[0]!}`);
  assert.ok(Math.abs(m.weights[1]! / m.scale[1]! + 0.8) < 0.06, `b ${m.weights[1]! / m.scale[1]!}`);
  assert.ok(Math.abs(m.weights[2]!) < 0.05, `noise ${m.weights[2]}`);
  const p = predictLogistic(m, [0, 0, 0]);
  assert.ok(Math.abs(p - 1 / (1 + Math.exp(0.5))) < 0.02, `p at 0: ${p}`);
});

test('the penalty keeps separable data finite', () => {
  const x = [[-2], [-1], [1], [2]];
  const m = fitLogistic(x, [0, 0, 1, 1], 1e-2);
  assert.ok(Number.isFinite(m.weights[0]!) && m.weights[0]! > 0);
  assert.ok(predictLogistic(m, [2]) > 0.9 && predictLogistic(m, [-2]) < 0.1);
});

test('cross-validated scores come from models that did not see the subject', () => {
  // Labels unrelated to the features: in-sample fits look better than chance, out-of-fold ones do not.
  const rng = new Rng(5);
  const x = Array.from({ length: 60 }, () => Array.from({ length: 20 }, () => rng.normal()));
  const y = Array.from({ length: 60 }, (_, i) => i % 2);
  const oof = crossValidatedScores(x, y, 5, 3, 1e-4);
  const inSample = x.map((r) => predictLogistic(fitLogistic(x, y, 1e-4), r));
  const accuracy = (s: number[]): number => s.filter((p, i) => (p > 0.5 ? 1 : 0) === y[i]).length / y.length;
  assert.ok(accuracy(inSample) > 0.7, `in-sample ${accuracy(inSample)}`);
  assert.ok(accuracy(oof) < 0.65, `out-of-fold ${accuracy(oof)}`);
  assert.deepEqual(crossValidatedScores(x, y, 5, 3, 1e-4), oof, 'deterministic by seed');
});
