import { checkNumber } from './field-check.js';

/**
 * Volume doubling time (modified Schwartz formula) and its reading, as in
 * ../shared/docs/clinical-models.md:
 *
 *   VDT = t ln 2 / ln(V1 / V0)                  t = days between the scans
 *   VDT = t ln 2 / (3 ln(D1 / D0))              from diameters, for a sphere-like nodule
 *
 * Reading, in this order: a volume change under 25% (|V1/V0 - 1| < 0.25) is "stable"; a larger
 * decrease is "shrinking" (favours benign); otherwise VDT < 30 days is "infection-like", 30 to < 400
 * "suspicious" for malignancy, 400 to 600 "indeterminate", > 600 "favours-benign".
 *
 * Sign convention: VDT is negative for a shrinking nodule (minus its halving time) and infinite
 * when the volume does not change. For ranking, use `doublingRate` = 1 / VDT = ln(V1/V0) / (t ln 2)
 * (doublings per day), which is finite, 0 for no change, negative for shrinkage and grows with how
 * fast the nodule grows, so it orders subjects without the jump of 1/VDT's inverse at zero growth.
 */
export type VdtInterpretation = 'stable' | 'shrinking' | 'infection-like' | 'suspicious' | 'indeterminate' | 'favours-benign';

export interface VdtResult {
  /** Days; negative when shrinking, Infinity (or -Infinity never) when unchanged. */
  readonly vdtDays: number;
  /** 1 / VDT in doublings per day (0 when unchanged). */
  readonly doublingRate: number;
  /** V1 / V0 (from diameters: (D1 / D0)^3). */
  readonly volumeRatio: number;
  readonly interpretation: VdtInterpretation;
  /** The reading in words. */
  readonly reason: string;
  readonly method: 'volume' | 'diameter';
}

export interface VdtFromVolumes {
  readonly days: number;
  readonly volume0Mm3: number;
  readonly volume1Mm3: number;
}

export interface VdtFromDiameters {
  readonly days: number;
  readonly diameter0Mm: number;
  readonly diameter1Mm: number;
}

/** A volume change under this fraction counts as no change. */
export const VDT_STABLE_FRACTION = 0.25;

const MODEL = 'vdt';
const DAYS = { min: 0, max: 7300, unit: 'days', minExclusive: true } as const;
const VOLUME = { min: 0, max: 1e7, unit: 'mm^3', minExclusive: true } as const;
const DIAMETER = { min: 0, max: 300, unit: 'mm', minExclusive: true } as const;

/** VDT from two volumes and the interval. */
export function volumeDoublingTime(input: VdtFromVolumes): VdtResult {
  const days = checkNumber(MODEL, 'days', input.days, DAYS);
  const v0 = checkNumber(MODEL, 'volume0_mm3', input.volume0Mm3, VOLUME);
  const v1 = checkNumber(MODEL, 'volume1_mm3', input.volume1Mm3, VOLUME);
  return fromRatio(days, v1 / v0, Math.log(v1 / v0), 'volume');
}

/** VDT from two diameters of a sphere-like nodule and the interval. */
export function volumeDoublingTimeFromDiameters(input: VdtFromDiameters): VdtResult {
  const days = checkNumber(MODEL, 'days', input.days, DAYS);
  const d0 = checkNumber(MODEL, 'diameter0_mm', input.diameter0Mm, DIAMETER);
  const d1 = checkNumber(MODEL, 'diameter1_mm', input.diameter1Mm, DIAMETER);
  return fromRatio(days, (d1 / d0) ** 3, 3 * Math.log(d1 / d0), 'diameter');
}

function fromRatio(days: number, ratio: number, logRatio: number, method: 'volume' | 'diameter'): VdtResult {
  const doublingRate = logRatio / (days * Math.LN2);
  const vdtDays = logRatio === 0 ? Infinity : (days * Math.LN2) / logRatio;
  const { interpretation, reason } = interpretVdt(vdtDays, ratio);
  return { vdtDays, doublingRate, volumeRatio: ratio, interpretation, reason, method };
}

/** The reading of a VDT (days) given the volume ratio V1 / V0 it came from. */
export function interpretVdt(vdtDays: number, volumeRatio: number): { interpretation: VdtInterpretation; reason: string } {
  const change = volumeRatio - 1;
  const percent = `${change >= 0 ? '+' : ''}${(100 * change).toFixed(1)}%`;
  if (Math.abs(change) < VDT_STABLE_FRACTION) {
    return { interpretation: 'stable', reason: `volume change ${percent} is under 25%: stable` };
  }
  if (change < 0) {
    return { interpretation: 'shrinking', reason: `volume change ${percent}: shrinking, favours benign` };
  }
  const vdt = `VDT ${Math.round(vdtDays)} days`;
  if (vdtDays < 30) return { interpretation: 'infection-like', reason: `${vdt} is under 30 days: too fast for cancer, suggests infection or inflammation` };
  if (vdtDays < 400) return { interpretation: 'suspicious', reason: `${vdt} is under 400 days: suspicious for malignancy` };
  if (vdtDays <= 600) return { interpretation: 'indeterminate', reason: `${vdt} is between 400 and 600 days: indeterminate` };
  return { interpretation: 'favours-benign', reason: `${vdt} is over 600 days: favours benign` };
}
