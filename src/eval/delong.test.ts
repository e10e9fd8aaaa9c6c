import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../util/random.js';
import { delongCovariance, delongTest } from './delong.js';
import { erfc, normalCdf, twoSidedP } from './normal-distribution.js';
import { rocAuc } from './roc.js';

function near(actual: number, expected: number, tol: number): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not ${expected} within ${tol}`);
}

test('normal tail: erfc and p-values against tabulated values', () => {
  // Abramowitz & Stegun Table 7.1 and the normal quantile 1.959963984540054 (two-sided 5%)
  near(erfc(1), 0.157299207050285, 1e-14);
  near(erfc(0.5), 0.479500122186953, 1e-14);
  near(erfc(3), 2.20904969985854e-5, 1e-18);
  near(twoSidedP(1.959963984540054), 0.05, 1e-13);
  near(twoSidedP(1), 0.317310507862914, 1e-14);
  near(normalCdf(0), 0.5, 1e-16);
  near(normalCdf(-1.959963984540054), 0.025, 1e-13);
  assert.equal(erfc(-1), 2 - erfc(1));
});

// DeLong worked by hand on 3 positives and 3 negatives with ties, using the structural components
// of DeLong et al. 1988 (psi = 1 if X > Y, 1/2 if equal, 0 otherwise), not the midrank algorithm:
//   model A: positives 0.9 0.7 0.4, negatives 0.7 0.3 0.2
//   model B: positives 0.8 0.5 0.6, negatives 0.6 0.5 0.1
// V10 (per positive, mean psi over negatives):  A: 1, 5/6, 4/6 (AUC 5/6)   B: 1, 3/6, 5/6 (AUC 7/9)
// V01 (per negative, mean psi over positives):  A: 1/2, 1, 1               B: 1/2, 5/6, 1
// S10 (denominator m-1 = 2): AA = (1/36 + 0 + 1/36)/2 = 1/36; BB = (4/81 + 25/324 + 1/324)/2 = 21/324;
//     AB = ((1/6)(2/9) + 0 + (-1/6)(1/18))/2 = 1/72
// S01: AA = (1/9 + 1/36 + 1/36)/2 = 1/12; BB = 21/324; AB = ((-1/3)(-5/18) + (1/6)(1/18) + (1/6)(2/9))/2 = 15/216
// S = S10/3 + S01/3: AA = 1/27, BB = 7/162, AB = 1/36
// var(A - B) = 1/27 + 7/162 - 2/36 = (6 + 7 - 9)/162 = 2/81; se = sqrt(2)/9 = 0.157135
// difference = 5/6 - 7/9 = 1/18; z = (1/18) / (sqrt(2)/9) = 1 / (2 sqrt 2) = 0.353553
// p = 2 (1 - Phi(0.353553)) = erfc(0.25) = 0.723674
test('delong: hand-worked 3 + 3 example with ties', () => {
  const labels = [1, 1, 1, 0, 0, 0];
  const a = [0.9, 0.7, 0.4, 0.7, 0.3, 0.2];
  const b = [0.8, 0.5, 0.6, 0.6, 0.5, 0.1];
  const r = delongTest(labels, a, b);
  near(r.aucA, 5 / 6, 1e-12);
  near(r.aucB, 7 / 9, 1e-12);
  near(r.difference, 1 / 18, 1e-12);
  near(r.se, Math.SQRT2 / 9, 1e-12);
  near(r.z, 1 / (2 * Math.SQRT2), 1e-12);
  near(r.p, 0.7236736098317631, 1e-12);
  const { covariance } = delongCovariance(labels, [a, b]);
  near(covariance[0]![0]!, 1 / 27, 1e-12);
  near(covariance[1]![1]!, 7 / 162, 1e-12);
  near(covariance[0]![1]!, 1 / 36, 1e-12);
});

/** DeLong 1988 straight from its definition, O(m n): an independent check of the midrank algorithm. */
function delongByDefinition(labels: number[], a: number[], b: number[]): { se: number; aucA: number; aucB: number } {
  const psi = (x: number, y: number): number => (x > y ? 1 : x === y ? 0.5 : 0);
  const P = labels.flatMap((y, i) => (y === 1 ? [i] : []));
  const N = labels.flatMap((y, i) => (y === 0 ? [i] : []));
  const comps = (s: number[]) => ({
    v10: P.map((i) => N.reduce((acc, j) => acc + psi(s[i]!, s[j]!), 0) / N.length),
    v01: N.map((j) => P.reduce((acc, i) => acc + psi(s[i]!, s[j]!), 0) / P.length),
  });
  const cov = (x: number[], y: number[]): number => {
    const mx = x.reduce((p, q) => p + q, 0) / x.length;
    const my = y.reduce((p, q) => p + q, 0) / y.length;
    return x.reduce((acc, xi, i) => acc + (xi - mx) * (y[i]! - my), 0) / (x.length - 1);
  };
  const A = comps(a);
  const B = comps(b);
  const s = (u: typeof A, v: typeof A): number => cov(u.v10, v.v10) / P.length + cov(u.v01, v.v01) / N.length;
  const mean = (x: number[]): number => x.reduce((p, q) => p + q, 0) / x.length;
  return { se: Math.sqrt(s(A, A) + s(B, B) - 2 * s(A, B)), aucA: mean(A.v10), aucB: mean(B.v10) };
}

test('delong: the midrank algorithm matches the definition on random data with ties', () => {
  const rng = new Rng(7);
  for (let trial = 0; trial < 20; trial++) {
    const n = 20 + rng.int(40);
    const labels = Array.from({ length: n }, (_, i) => (i < 3 ? 1 : i < 6 ? 0 : rng.bernoulli(0.4) ? 1 : 0));
    // scores rounded to one decimal so ties are common, within and across classes
    const a = labels.map((y) => Math.round((y * 0.8 + rng.normal(0, 0.6)) * 10) / 10);
    const b = labels.map((y, i) => Math.round((0.5 * a[i]! + y * 0.3 + rng.normal(0, 0.5)) * 10) / 10);
    const fast = delongTest(labels, a, b);
    const slow = delongByDefinition(labels, a, b);
    near(fast.aucA, slow.aucA, 1e-12);
    near(fast.aucB, slow.aucB, 1e-12);
    near(fast.aucA, rocAuc(labels, a), 1e-12);
    near(fast.se, slow.se, 1e-12);
  }
});

test('delong: identical scores give p = 1; too few subjects per class give NaN', () => {
  const labels = [1, 1, 0, 0, 1];
  const s = [0.9, 0.4, 0.3, 0.5, 0.7];
  const same = delongTest(labels, s, s);
  assert.equal(same.z, 0);
  assert.equal(same.p, 1);
  const tiny = delongTest([1, 0, 0], [0.9, 0.1, 0.2], [0.5, 0.4, 0.6]);
  assert.ok(Number.isNaN(tiny.se) && Number.isNaN(tiny.p));
  assert.equal(tiny.aucA, 1);
  assert.throws(() => delongTest([1, 0], [0.1, 0.2], [0.3]), /paired test needs the same subjects/);
});
