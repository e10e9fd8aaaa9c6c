import type { Rng } from '../util/random.js';
import type { GrowthModel, NoduleType } from './synth-config.js';
import { drawCategorical, logNormal, logUniform, truncatedNormal, uniformIn } from './sampling.js';

/**
 * The course a nodule takes after T0. Malignant nodules grow exponentially with a volume doubling
 * time (VDT); 'indolent' ones are malignant with a very long VDT. Benign nodules stay stable, shrink,
 * resolve to a scar or grow slowly.
 */
export type GrowthCourse = 'malignant' | 'indolent' | 'stable' | 'shrink' | 'resolve' | 'grow';

export interface Growth {
  readonly course: GrowthCourse;
  /** Volume doubling time in days (courses malignant, indolent, grow); Infinity otherwise. */
  readonly vdtDays: number;
  /** ln(volume ratio) per 365 days (courses stable and shrink). */
  readonly logVolumePerYear: number;
  /** Diameter left by a resolving nodule, as a fraction of its T0 diameter. */
  readonly scarFraction: number;
  /** Core fraction gained per 365 days (malignant part-solid and solidifying ground-glass nodules). */
  readonly coreGainPerYear: number;
  /** HU gained per 365 days by the ground-glass component. */
  readonly densifyHuPerYear: number;
}

const BENIGN_COURSES: readonly GrowthCourse[] = ['stable', 'shrink', 'resolve', 'grow'];

/** Days from T0 to T1 (and T1 to T2): about a year apart, as in annual screening. */
export function sampleIntervalDays(rng: Rng, g: GrowthModel): number {
  return Math.round(truncatedNormal(rng, g.intervalDaysMean, g.intervalDaysSd, g.intervalDaysRange[0], g.intervalDaysRange[1]));
}

/** Draws the course of a nodule of this type and label (distributions in synth-config.ts). */
export function sampleGrowth(rng: Rng, label: 0 | 1, type: NoduleType, g: GrowthModel): Growth {
  const none = { vdtDays: Infinity, logVolumePerYear: 0, scarFraction: 1, coreGainPerYear: 0, densifyHuPerYear: 0 };
  if (label === 1) {
    const indolent = rng.bernoulli(g.indolentProb);
    const vdtDays = indolent
      ? logUniform(rng, g.indolentVdtDays[0], g.indolentVdtDays[1])
      : Math.max(60, logNormal(rng, g.malignantVdtMedianDays[type], g.malignantVdtLogSigma));
    let coreGainPerYear = 0;
    let densifyHuPerYear = 0;
    if (type === 'part-solid') coreGainPerYear = rng.range(0.05, 0.2);
    if (type === 'ground-glass') {
      densifyHuPerYear = uniformIn(rng, g.groundGlassDensifyHuPerYear);
      if (rng.bernoulli(g.groundGlassSolidifyProb)) coreGainPerYear = rng.range(0.25, 0.45);
    }
    if (indolent) {
      coreGainPerYear /= 4;
      densifyHuPerYear /= 4;
    }
    return { ...none, course: indolent ? 'indolent' : 'malignant', vdtDays, coreGainPerYear, densifyHuPerYear };
  }
  const course = type === 'calcified' ? 'stable' : BENIGN_COURSES[drawCategorical(rng, g.benignCourseProbs)]!;
  switch (course) {
    case 'stable':
      return { ...none, course, logVolumePerYear: rng.normal(0, g.stableLogSigma) };
    case 'shrink':
      return { ...none, course, logVolumePerYear: Math.log(uniformIn(rng, g.shrinkVolumeRatio)) };
    case 'resolve':
      return { ...none, course, scarFraction: uniformIn(rng, g.resolveDiameterFraction) };
    default:
      return { ...none, course, vdtDays: logNormal(rng, g.benignGrowthVdtDays, g.benignGrowthLogSigma) };
  }
}

/**
 * Diameter (mm) `days` after T0. Exponential growth V(t) = V0 * 2^(t / VDT), so
 * D(t) = D0 * 2^(t / (3 VDT)) (modified Schwartz, ../shared/docs/clinical-models.md); stable and
 * shrinking nodules change volume by exp(logVolumePerYear * t / 365); a resolving nodule's diameter
 * decays to its scar with a 120-day time constant (at least 2 mm). Growth is capped at `capMm`.
 */
export function diameterAt(d0: number, growth: Growth, days: number, capMm: number): number {
  const years = days / 365;
  let d: number;
  switch (growth.course) {
    case 'stable':
    case 'shrink':
      d = d0 * Math.exp((growth.logVolumePerYear * years) / 3);
      break;
    case 'resolve': {
      const scar = Math.max(Math.min(2, d0), d0 * growth.scarFraction);
      d = scar + (d0 - scar) * Math.exp(-days / 120);
      break;
    }
    default:
      d = d0 * 2 ** (days / (3 * growth.vdtDays));
  }
  return d > d0 ? Math.min(d, Math.max(d0, capMm)) : d;
}

/** Volume doubling time from two diameters t days apart: t ln2 / (3 ln(D2 / D1)) (clinical-models.md). */
export function vdtFromDiameters(d1: number, d2: number, days: number): number {
  return (days * Math.LN2) / (3 * Math.log(d2 / d1));
}
