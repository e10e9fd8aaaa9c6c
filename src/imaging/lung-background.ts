import { ballVoxels } from './ball-voxels.js';
import type { Vec3, Volume } from './volume.js';

/** Lung parenchyma around a nodule: its typical HU and its spread (noise plus texture). */
export interface LungBackground {
  /** Mode of the lung-range voxels of the shell (HU). */
  readonly hu: number;
  /** Spread of the lung values as a normal SD, from the half width of the histogram's peak (HU). */
  readonly noiseHu: number;
  /** Voxels the estimate rests on. */
  readonly voxels: number;
}

export interface LungBackgroundOptions {
  /** Shell around the centre that the estimate is taken from (default 12 to 24 mm). */
  readonly innerMm?: number;
  readonly outerMm?: number;
}

/** Voxels counted as lung: aerated tissue between this and LUNG_MAX_HU (air and emphysema included). */
const LUNG_MIN_HU = -1100;
/** Above this a voxel is not aerated lung (ground glass starts near -750, soft tissue near -100). */
export const LUNG_MAX_HU = -500;
/** Half-width of the moving window that smooths the 1 HU histogram before its peak is taken. */
const SMOOTH_HU = 20;
/** Fewer lung voxels than this and the shell is not lung (a centre in the mediastinum or outside the body). */
const MIN_VOXELS = 100;
const MAX_SAMPLES = 20_000;
/** Half width at half maximum of a normal density, in SDs: sqrt(2 ln 2). */
const HWHM_PER_SD = Math.sqrt(2 * Math.LN2);

/**
 * Estimates the lung background around `centre` from the scan's own voxels in a shell 12-24 mm away
 * (beyond most nodules, inside the 64 mm measurement region): of the voxels between -1100 and
 * -500 HU, the peak of their histogram (1 HU bins smoothed by a +-20 HU box) and its spread, from
 * the half width at half maximum on the narrower side of the peak (for a normal density HWHM =
 * sqrt(2 ln 2) SD; the box's variance is subtracted).
 *
 * Peak and half width rather than mean, median or MAD because the shell may also hold air outside
 * the body (-1000 HU), a large ground-glass nodule's edge or vessels' partial volume: the most
 * common lung value and the shape of its peak stay put when such minorities are added, while a
 * median or MAD drifts towards them. Returns null when fewer than 100 voxels are in the lung range
 * (no lung around the centre).
 */
export function lungBackground(volume: Volume, centre: Vec3, options: LungBackgroundOptions = {}): LungBackground | null {
  const shell = ballVoxels(volume, centre, options.innerMm ?? 12, options.outerMm ?? 24, MAX_SAMPLES);
  const bins = LUNG_MAX_HU - LUNG_MIN_HU + 1;
  const histogram = new Float64Array(bins);
  let voxels = 0;
  for (const v of shell) {
    if (v < LUNG_MIN_HU || v > LUNG_MAX_HU) continue;
    histogram[Math.round(v) - LUNG_MIN_HU]!++;
    voxels++;
  }
  if (voxels < MIN_VOXELS) return null;
  // Window sums: smooth[c] = voxels within +-SMOOTH_HU of c (a moving box over the 1 HU histogram).
  const smooth = new Float64Array(bins);
  let window = 0;
  for (let b = 0; b < bins + SMOOTH_HU; b++) {
    if (b < bins) window += histogram[b]!;
    if (b - 2 * SMOOTH_HU - 1 >= 0) window -= histogram[b - 2 * SMOOTH_HU - 1]!;
    if (b - SMOOTH_HU >= 0) smooth[b - SMOOTH_HU] = window;
  }
  // The peak; where neighbouring centres tie (a peak narrower than the box), the middle of the run.
  let first = 0;
  for (let c = 1; c < bins; c++) if (smooth[c]! > smooth[first]!) first = c;
  let last = first;
  while (last + 1 < bins && smooth[last + 1] === smooth[first]) last++;
  const peak = Math.round((first + last) / 2);
  // Spread: the half width at half maximum on the cleaner side (air or a nodule's edge widen only
  // one side), as a normal SD (HWHM / 1.1774), less the box's own variance ((41^2 - 1) / 12).
  const half = smooth[peak]! / 2;
  let left = peak;
  while (left > 0 && smooth[left]! > half) left--;
  let right = peak;
  while (right < bins - 1 && smooth[right]! > half) right++;
  const hwhm = Math.min(peak - left, right - peak);
  const boxVariance = ((2 * SMOOTH_HU + 1) ** 2 - 1) / 12;
  const hu = peak + LUNG_MIN_HU;
  const noiseHu = Math.sqrt(Math.max(0, (hwhm / HWHM_PER_SD) ** 2 - boxVariance));
  return { hu, noiseHu, voxels };
}
