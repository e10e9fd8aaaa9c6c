import { ConfigError } from '../util/errors.js';
import type { Label } from './check-inputs.js';
import { normalQuantile } from './normal-distribution.js';
import { rocAuc } from './roc.js';

/**
 * How well a network's own measurements agree with the annotated ones, out of fold. A network
 * trained with size and growth supervision (src/train/size-supervision.ts) carries readouts with no
 * parameters: ln(diameter / 2 mm) at T0 and at T1, and growth ln(d_T1 / d_T0). Scored on the test
 * folds against the cohort's diameters, they show whether the network learned to measure the
 * nodule and its growth, apart from whether its classifier uses them.
 */
export const READOUT_QUANTITIES = ['size-t0', 'size-t1', 'growth'] as const;
export type ReadoutQuantity = (typeof READOUT_QUANTITIES)[number];

/** One out-of-fold readout of one subject, beside the annotated value it was taught. */
export interface ReadoutPrediction {
  readonly quantity: ReadoutQuantity;
  readonly subjectId: string;
  readonly fold: number;
  readonly label: Label;
  /** What the network read. */
  readonly value: number;
  /** The annotated value (ln(d / 2 mm), or ln(d_T1 / d_T0) for growth). */
  readonly target: number;
}

export interface ReadoutAgreement {
  readonly quantity: ReadoutQuantity;
  /** Subjects with both a readout and an annotated value. */
  readonly n: number;
  /** Pearson correlation of readout and annotation, with its interval (Fisher's z). */
  readonly pearson: { readonly value: number; readonly lower: number; readonly upper: number };
  /** AUC of the readout as a malignancy score, and of the annotated value, on the same subjects. */
  readonly aucReadout: number;
  readonly aucAnnotated: number;
}

/** Pearson's r; NaN when either variable is constant or there are fewer than 2 pairs. */
export function pearson(x: readonly number[], y: readonly number[]): number {
  if (x.length !== y.length) throw new ConfigError(`pearson: ${x.length} values against ${y.length}`);
  const n = x.length;
  if (n < 2) return Number.NaN;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Number.NaN;
}

/**
 * Interval of a correlation by Fisher's z transform: atanh(r) is about normal with SD 1 / sqrt(n - 3)
 * (Fisher 1921). NaN ends below 4 pairs.
 */
export function pearsonInterval(r: number, n: number, level = 0.95): { value: number; lower: number; upper: number } {
  if (!(n > 3) || !Number.isFinite(r)) return { value: r, lower: Number.NaN, upper: Number.NaN };
  const z = Math.atanh(Math.max(-0.999999999, Math.min(0.999999999, r)));
  const half = normalQuantile((1 + level) / 2) / Math.sqrt(n - 3);
  return { value: r, lower: Math.tanh(z - half), upper: Math.tanh(z + half) };
}

/** Agreement per quantity present, in READOUT_QUANTITIES order. */
export function readoutAgreement(readouts: readonly ReadoutPrediction[], level = 0.95): ReadoutAgreement[] {
  return READOUT_QUANTITIES.flatMap((quantity): ReadoutAgreement[] => {
    const mine = readouts.filter((r) => r.quantity === quantity);
    if (mine.length === 0) return [];
    const values = mine.map((r) => r.value);
    const targets = mine.map((r) => r.target);
    const labels = mine.map((r) => r.label);
    return [{ quantity, n: mine.length, pearson: pearsonInterval(pearson(values, targets), mine.length, level), aucReadout: rocAuc(labels, values), aucAnnotated: rocAuc(labels, targets) }];
  });
}
