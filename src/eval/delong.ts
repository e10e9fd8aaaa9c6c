import { InputError } from '../util/errors.js';
import { checkLabelsScores } from './check-inputs.js';
import { midranks } from './midranks.js';
import { twoSidedP } from './normal-distribution.js';

/**
 * DeLong's test of the difference between two correlated AUCs (the same subjects scored by two
 * models): DeLong, DeLong & Clarke-Pearson, "Comparing the areas under two or more correlated
 * receiver operating characteristic curves: a nonparametric approach", Biometrics 1988;44:837-845,
 * computed with the midrank algorithm of Sun & Xu, IEEE Signal Processing Letters 2014;21:1389-1393.
 *
 * With m positives X_i and n negatives Y_j, for each model r:
 *   Tx = midranks of the positives among the positives, Ty = midranks of the negatives among the
 *   negatives, Tz = midranks among all m + n;
 *   AUC_r = (sum_i Tz_i - m(m+1)/2) / (m n);
 *   V10_i = (Tz_i - Tx_i) / n       (the structural component of positive i: the fraction of
 *                                     negatives it outscores, ties one half)
 *   V01_j = 1 - (Tz_j - Ty_j) / m   (of negative j: the fraction of positives that outscore it)
 *   S = cov(V10) / m + cov(V01) / n, covariances across models with denominator m - 1 and n - 1.
 * The difference AUC_A - AUC_B has variance S_AA + S_BB - 2 S_AB; z = difference / se and
 * p = P(|Z| >= |z|). This is what R's pROC::roc.test(method = "delong", paired = TRUE) computes.
 *
 * Undefined cases: fewer than 2 positives or 2 negatives give NaN AUCs' variance, se, z and p
 * (AUCs too when a class is empty); a zero variance with zero difference (the same scores twice)
 * gives z = 0 and p = 1.
 */
export interface DelongResult {
  readonly aucA: number;
  readonly aucB: number;
  /** aucA - aucB. */
  readonly difference: number;
  /** Standard error of the difference. */
  readonly se: number;
  readonly z: number;
  /** Two-sided p-value. */
  readonly p: number;
  readonly positives: number;
  readonly negatives: number;
}

export interface DelongCovariance {
  readonly aucs: number[];
  /** k x k covariance matrix of the AUC estimates. */
  readonly covariance: number[][];
}

/** AUCs of k models scored on the same subjects and the DeLong covariance of their estimates. */
export function delongCovariance(labels: readonly number[], scoresByModel: readonly (readonly number[])[]): DelongCovariance {
  for (const [r, scores] of scoresByModel.entries()) checkLabelsScores(`delongCovariance (model ${r})`, labels, scores);
  const pos: number[] = [];
  const neg: number[] = [];
  labels.forEach((y, i) => (y === 1 ? pos : neg).push(i));
  const m = pos.length;
  const n = neg.length;
  const k = scoresByModel.length;
  if (m === 0 || n === 0) {
    return { aucs: new Array<number>(k).fill(Number.NaN), covariance: square(k, Number.NaN) };
  }
  const v10: Float64Array[] = [];
  const v01: Float64Array[] = [];
  const aucs: number[] = [];
  for (const scores of scoresByModel) {
    const x = pos.map((i) => scores[i]!);
    const y = neg.map((j) => scores[j]!);
    const tx = midranks(x);
    const ty = midranks(y);
    const tz = midranks([...x, ...y]);
    let sumTz = 0;
    const a = new Float64Array(m);
    const b = new Float64Array(n);
    for (let i = 0; i < m; i++) {
      sumTz += tz[i]!;
      a[i] = (tz[i]! - tx[i]!) / n;
    }
    for (let j = 0; j < n; j++) b[j] = 1 - (tz[m + j]! - ty[j]!) / m;
    aucs.push((sumTz - (m * (m + 1)) / 2) / (m * n));
    v10.push(a);
    v01.push(b);
  }
  const covariance = square(k, 0);
  for (let r = 0; r < k; r++) {
    for (let s = r; s < k; s++) {
      const c = covarianceOf(v10[r]!, v10[s]!) / m + covarianceOf(v01[r]!, v01[s]!) / n;
      covariance[r]![s] = c;
      covariance[s]![r] = c;
    }
  }
  return { aucs, covariance };
}

/** Paired DeLong test of AUC(A) - AUC(B) on the same subjects. */
export function delongTest(labels: readonly number[], scoresA: readonly number[], scoresB: readonly number[]): DelongResult {
  if (scoresA.length !== scoresB.length) {
    throw new InputError(`delongTest: the two models scored ${scoresA.length} and ${scoresB.length} subjects; a paired test needs the same subjects`, { rule: 'length-mismatch' });
  }
  const { aucs, covariance: s } = delongCovariance(labels, [scoresA, scoresB]);
  const positives = labels.reduce<number>((acc, y) => acc + y, 0);
  const negatives = labels.length - positives;
  const aucA = aucs[0]!;
  const aucB = aucs[1]!;
  const difference = aucA - aucB;
  const variance = s[0]![0]! + s[1]![1]! - 2 * s[0]![1]!;
  const se = Math.sqrt(Math.max(variance, 0));
  let z: number;
  let p: number;
  if (Number.isNaN(se)) {
    z = Number.NaN;
    p = Number.NaN;
  } else if (se === 0) {
    z = difference === 0 ? 0 : Number.NaN;
    p = difference === 0 ? 1 : Number.NaN;
  } else {
    z = difference / se;
    p = twoSidedP(z);
  }
  return { aucA, aucB, difference, se, z, p, positives, negatives };
}

/** Sample covariance (denominator length - 1); NaN below two values. */
function covarianceOf(a: Float64Array, b: Float64Array): number {
  const len = a.length;
  if (len < 2) return Number.NaN;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < len; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= len;
  mb /= len;
  let sum = 0;
  for (let i = 0; i < len; i++) sum += (a[i]! - ma) * (b[i]! - mb);
  return sum / (len - 1);
}

function square(k: number, fill: number): number[][] {
  return Array.from({ length: k }, () => new Array<number>(k).fill(fill));
}
