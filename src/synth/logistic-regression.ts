import { Rng } from '../util/random.js';

/** A fitted logistic model on standardised features: P(y = 1 | x) = sigmoid(bias + w . z(x)). */
export interface LogisticModel {
  readonly weights: readonly number[];
  readonly bias: number;
  readonly mean: readonly number[];
  readonly scale: readonly number[];
}

export function predictLogistic(m: LogisticModel, x: readonly number[]): number {
  let t = m.bias;
  for (let j = 0; j < m.weights.length; j++) t += m.weights[j]! * ((x[j]! - m.mean[j]!) / m.scale[j]!);
  return 1 / (1 + Math.exp(-t));
}

/** Solves A x = b (A symmetric positive definite, small) by Gaussian elimination with pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r]![n]!;
    for (let k = r + 1; k < n; k++) s -= m[r]![k]! * x[k]!;
    x[r] = s / m[r]![r]!;
  }
  return x;
}

/**
 * Logistic regression by Newton's method (iteratively reweighted least squares) with an L2 penalty
 * `l2` on the weights (not the bias), on features standardised to zero mean and unit SD (Hastie,
 * Tibshirani and Friedman, The Elements of Statistical Learning, 4.4.1). The penalty keeps the fit
 * finite when the classes are separable.
 */
export function fitLogistic(x: readonly (readonly number[])[], y: readonly number[], l2 = 1e-2): LogisticModel {
  const n = x.length;
  const d = n > 0 ? x[0]!.length : 0;
  const mean = Array.from({ length: d }, (_, j) => x.reduce((a, r) => a + r[j]!, 0) / n);
  const scale = Array.from({ length: d }, (_, j) => Math.sqrt(x.reduce((a, r) => a + (r[j]! - mean[j]!) ** 2, 0) / n) || 1);
  const z = x.map((r) => [1, ...r.map((v, j) => (v - mean[j]!) / scale[j]!)]);
  let beta = new Array<number>(d + 1).fill(0);
  for (let it = 0; it < 50; it++) {
    const grad = new Array<number>(d + 1).fill(0);
    const hess = Array.from({ length: d + 1 }, () => new Array<number>(d + 1).fill(0));
    for (let i = 0; i < n; i++) {
      const zi = z[i]!;
      let t = 0;
      for (let j = 0; j <= d; j++) t += beta[j]! * zi[j]!;
      const p = 1 / (1 + Math.exp(-t));
      const w = p * (1 - p);
      for (let j = 0; j <= d; j++) {
        grad[j]! += (y[i]! - p) * zi[j]!;
        for (let k = 0; k <= j; k++) hess[j]![k]! += w * zi[j]! * zi[k]!;
      }
    }
    for (let j = 0; j <= d; j++) {
      for (let k = 0; k < j; k++) hess[k]![j] = hess[j]![k]!;
      if (j > 0) {
        grad[j]! -= n * l2 * beta[j]!;
        hess[j]![j]! += n * l2;
      }
    }
    const step = solve(hess, grad);
    beta = beta.map((b, j) => b + step[j]!);
    if (Math.max(...step.map(Math.abs)) < 1e-9) break;
  }
  return { bias: beta[0]!, weights: beta.slice(1), mean, scale };
}

/**
 * Out-of-fold probabilities of a logistic model under stratified k-fold cross-validation: each
 * subject is scored by a model fitted without it. Folds are drawn per class from `seed`.
 */
export function crossValidatedScores(x: readonly (readonly number[])[], y: readonly number[], folds: number, seed: number, l2 = 1e-2): number[] {
  const rng = new Rng(seed);
  const fold = new Array<number>(y.length).fill(0);
  for (const label of [0, 1]) {
    const members = rng.shuffle(y.flatMap((v, i) => (v === label ? [i] : [])));
    members.forEach((i, r) => (fold[i] = r % folds));
  }
  const out = new Array<number>(y.length).fill(0);
  for (let f = 0; f < folds; f++) {
    const train = y.flatMap((_, i) => (fold[i] === f ? [] : [i]));
    const model = fitLogistic(
      train.map((i) => x[i]!),
      train.map((i) => y[i]!),
      l2,
    );
    y.forEach((_, i) => {
      if (fold[i] === f) out[i] = predictLogistic(model, x[i]!);
    });
  }
  return out;
}
