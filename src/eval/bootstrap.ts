import { Rng } from '../util/random.js';
import { binaryMetrics, METRIC_NAMES } from './binary-metrics.js';
import type { MetricName } from './binary-metrics.js';
import { checkLabelsScores } from './check-inputs.js';

/**
 * Percentile bootstrap intervals (Efron & Tibshirani, "An Introduction to the Bootstrap", 1993,
 * ch. 13), seeded with the project's Rng so the same seed gives the same interval.
 *
 * Resampling is stratified by default: each resample draws the positives with replacement from the
 * positives and the negatives from the negatives, so every resample keeps the class counts and AUC
 * stays defined (as R's pROC::ci.auc does by default). With `stratified: false` the N subjects are
 * drawn from all N.
 * A resample where a metric is undefined (NaN, e.g. precision with no predicted positives) is left
 * out of that metric's percentiles; `valid` says how many resamples counted. The interval ends are
 * the (1 - level)/2 and (1 + level)/2 quantiles of the resampled values, linear interpolation
 * between order statistics (R's quantile type 7, the default of R and numpy).
 */
export interface BootstrapOptions {
  readonly seed: number;
  /** Number of resamples; default 2000. */
  readonly resamples?: number;
  /** Coverage; default 0.95. */
  readonly level?: number;
  /** Resample within each class; default true. */
  readonly stratified?: boolean;
}

export interface Interval {
  /** The metric on the data themselves. */
  readonly value: number;
  readonly lower: number;
  readonly upper: number;
  /** Resamples in which the metric was defined. */
  readonly valid: number;
}

export const DEFAULT_RESAMPLES = 2000;

/** Quantile q of ascending sorted values, R type 7; NaN when empty. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Percentile interval of one metric. */
export function bootstrapInterval(
  labels: readonly number[],
  scores: readonly number[],
  metric: (labels: readonly number[], scores: readonly number[]) => number,
  options: BootstrapOptions,
): Interval {
  checkLabelsScores('bootstrapInterval', labels, scores);
  const values: number[] = [];
  forEachResample(labels, scores, options, (l, s) => {
    const v = metric(l, s);
    if (!Number.isNaN(v)) values.push(v);
  });
  return interval(metric(labels, scores), values, options.level ?? 0.95);
}

/** Percentile intervals of every metric of binaryMetrics from the same resamples. */
export function bootstrapMetrics(labels: readonly number[], scores: readonly number[], options: BootstrapOptions & { readonly threshold?: number }): Record<MetricName, Interval> {
  checkLabelsScores('bootstrapMetrics', labels, scores);
  const threshold = options.threshold ?? 0.5;
  const values = Object.fromEntries(METRIC_NAMES.map((name) => [name, [] as number[]])) as Record<MetricName, number[]>;
  forEachResample(labels, scores, options, (l, s) => {
    const m = binaryMetrics(l, s, threshold).values;
    for (const name of METRIC_NAMES) if (!Number.isNaN(m[name])) values[name].push(m[name]);
  });
  const point = binaryMetrics(labels, scores, threshold).values;
  const level = options.level ?? 0.95;
  return Object.fromEntries(METRIC_NAMES.map((name) => [name, interval(point[name], values[name], level)])) as Record<MetricName, Interval>;
}

function interval(value: number, resampled: number[], level: number): Interval {
  const sorted = resampled.sort((a, b) => a - b);
  return { value, lower: quantileSorted(sorted, (1 - level) / 2), upper: quantileSorted(sorted, (1 + level) / 2), valid: sorted.length };
}

function forEachResample(labels: readonly number[], scores: readonly number[], options: BootstrapOptions, visit: (labels: number[], scores: number[]) => void): void {
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const level = options.level ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`bootstrap: resamples must be a positive integer, got ${resamples}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`bootstrap: level must be in (0, 1), got ${level}`);
  if (labels.length === 0) return;
  const rng = new Rng(options.seed);
  const groups = options.stratified === false ? [labels.map((_, i) => i)] : [0, 1].map((c) => labels.flatMap((y, i) => (y === c ? [i] : [])));
  const l = new Array<number>(labels.length);
  const s = new Array<number>(labels.length);
  for (let b = 0; b < resamples; b++) {
    let k = 0;
    for (const group of groups) {
      for (let t = 0; t < group.length; t++) {
        const i = group[rng.int(group.length)]!;
        l[k] = labels[i]!;
        s[k] = scores[i]!;
        k++;
      }
    }
    visit(l, s);
  }
}
