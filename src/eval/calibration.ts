import { checkLabelsScores } from './check-inputs.js';

/**
 * Calibration of probabilities: Brier score, expected calibration error and the reliability bins
 * of a calibration plot.
 *
 * Brier score (Brier 1950): mean (p - y)^2.
 * ECE (Naeini, Cooper & Hauskrecht, AAAI 2015; Guo et al., ICML 2017): ten equal-width bins of the
 * predicted probability, [0, 0.1), [0.1, 0.2), ..., [0.9, 1.0] (the last closed), and
 * ECE = sum over bins of (n_b / N) |mean(y in b) - mean(p in b)|; empty bins add nothing.
 * Both need probabilities: when any score lies outside [0, 1] (a category rank, a growth rate)
 * they are NaN, as they are for an empty set.
 */
export interface ReliabilityBin {
  /** Bin edges [lower, upper). */
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  /** Mean predicted probability in the bin (NaN when empty). */
  readonly meanPredicted: number;
  /** Fraction of positives in the bin (NaN when empty). */
  readonly observed: number;
}

export const ECE_BINS = 10;

function isProbability(scores: readonly number[]): boolean {
  return scores.every((s) => s >= 0 && s <= 1);
}

/** Mean squared difference between probability and label; NaN for an empty set or non-probabilities. */
export function brierScore(labels: readonly number[], scores: readonly number[]): number {
  checkLabelsScores('brierScore', labels, scores);
  if (labels.length === 0 || !isProbability(scores)) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < labels.length; i++) sum += (scores[i]! - labels[i]!) ** 2;
  return sum / labels.length;
}

/** Reliability bins (equal width, `bins` of them) of probabilities against labels. */
export function reliabilityBins(labels: readonly number[], scores: readonly number[], bins = ECE_BINS): ReliabilityBin[] {
  checkLabelsScores('reliabilityBins', labels, scores);
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`reliabilityBins: bins must be a positive integer, got ${bins}`);
  if (!isProbability(scores)) return [];
  const count = new Array<number>(bins).fill(0);
  const sumP = new Array<number>(bins).fill(0);
  const sumY = new Array<number>(bins).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const b = Math.min(Math.floor(scores[i]! * bins), bins - 1);
    count[b]!++;
    sumP[b]! += scores[i]!;
    sumY[b]! += labels[i]!;
  }
  return count.map((c, b) => ({
    lower: b / bins,
    upper: (b + 1) / bins,
    count: c,
    meanPredicted: c === 0 ? Number.NaN : sumP[b]! / c,
    observed: c === 0 ? Number.NaN : sumY[b]! / c,
  }));
}

/** Expected calibration error over ten equal-width bins; NaN for an empty set or non-probabilities. */
export function expectedCalibrationError(labels: readonly number[], scores: readonly number[], bins = ECE_BINS): number {
  const table = reliabilityBins(labels, scores, bins);
  if (labels.length === 0 || table.length === 0) return Number.NaN;
  let ece = 0;
  for (const b of table) {
    if (b.count > 0) ece += (b.count / labels.length) * Math.abs(b.observed - b.meanPredicted);
  }
  return ece;
}
