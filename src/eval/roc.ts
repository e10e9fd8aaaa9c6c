import { checkLabelsScores } from './check-inputs.js';
import { midranks } from './midranks.js';

/**
 * ROC curve and the area under it.
 *
 * AUC is the Mann-Whitney statistic with midranks: AUC = (R+ - m(m+1)/2) / (m n), where R+ is the
 * sum of the midranks of the m positives among all m + n scores. It equals P(S+ > S-) + 0.5
 * P(S+ = S-): a tie between a malignant and a benign subject counts one half, which is also the
 * trapezoidal area under the curve below. NaN when there are no positives or no negatives.
 */
export interface RocPoint {
  /** False-positive rate, 1 - specificity. */
  readonly fpr: number;
  /** True-positive rate, the sensitivity. */
  readonly tpr: number;
  /** Subjects with score >= threshold are called positive at this point (Infinity for the first point). */
  readonly threshold: number;
}

/** Area under the ROC curve with ties counted one half. */
export function rocAuc(labels: readonly number[], scores: readonly number[]): number {
  checkLabelsScores('rocAuc', labels, scores);
  const ranks = midranks(scores);
  let m = 0;
  let rankSum = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === 1) {
      m++;
      rankSum += ranks[i]!;
    }
  }
  const n = labels.length - m;
  if (m === 0 || n === 0) return Number.NaN;
  return (rankSum - (m * (m + 1)) / 2) / (m * n);
}

/**
 * ROC points from the strictest threshold to the loosest: (0, 0) first, (1, 1) last, one point per
 * distinct score (tied scores move the curve diagonally, never as a staircase). Empty when there are
 * no positives or no negatives.
 */
export function rocCurve(labels: readonly number[], scores: readonly number[]): RocPoint[] {
  checkLabelsScores('rocCurve', labels, scores);
  const order = Array.from({ length: labels.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const m = labels.reduce<number>((acc, y) => acc + y, 0);
  const n = labels.length - m;
  if (m === 0 || n === 0) return [];
  const points: RocPoint[] = [{ fpr: 0, tpr: 0, threshold: Infinity }];
  let tp = 0;
  let fp = 0;
  let i = 0;
  while (i < order.length) {
    const t = scores[order[i]!]!;
    while (i < order.length && scores[order[i]!] === t) {
      if (labels[order[i]!] === 1) tp++;
      else fp++;
      i++;
    }
    points.push({ fpr: fp / n, tpr: tp / m, threshold: t });
  }
  return points;
}
