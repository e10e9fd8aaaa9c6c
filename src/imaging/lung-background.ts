import { ballVoxels } from './ball-voxels.js';
import type { Vec3, Volume } from './volume.js';

/** Lung parenchyma around a nodule: its typical HU and its spread (noise plus texture). */
export interface LungBackground {
  /** Mode of the lung-range voxels of the shell (HU). */
  readonly hu: number;
  /** 1.4826 x the median absolute deviation from the mode: the SD for normal noise (HU). */
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

/**
 * Estimates the lung background around `centre` from the scan's own voxels in a shell 12-24 mm away
 * (beyond most nodules, inside the 64 mm measurement region): of the voxels between -1100 and
 * -500 HU, the peak of their histogram (1 HU bins smoothed over +-20 HU) and the robust spread
 * 1.4826 x median |v - peak| (the MAD estimator of a normal SD; Rousseeuw & Croux, JASA 1993).
 *
 * The peak rather than the mean or median because the shell may also hold air outside the body
 * (-1000 HU), a large ground-glass nodule's edge or vessels' partial volume: the most common
 * lung value stays put when such minorities are added. Returns null when fewer than 100 voxels are
 * in the lung range (no lung around the centre).
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
  // The peak of the smoothed histogram; where several neighbouring centres tie (a narrow peak
  // inside the window), the middle of the tied run.
  let best = -1;
  let first = 0;
  let last = 0;
  let window = 0;
  for (let b = 0; b < bins + SMOOTH_HU; b++) {
    if (b < bins) window += histogram[b]!;
    if (b - 2 * SMOOTH_HU - 1 >= 0) window -= histogram[b - 2 * SMOOTH_HU - 1]!;
    const centreBin = b - SMOOTH_HU;
    if (centreBin < 0) continue;
    if (window > best) {
      best = window;
      first = last = centreBin;
    } else if (window === best && last === centreBin - 1) last = centreBin;
  }
  const peak = Math.round((first + last) / 2);
  // Median absolute deviation from the peak, read off the same 1 HU histogram: walk outwards from
  // the peak until half the voxels are within the distance.
  let within = histogram[peak]!;
  let mad = 0;
  while (within < voxels / 2) {
    mad++;
    within += (histogram[peak - mad] ?? 0) + (histogram[peak + mad] ?? 0);
  }
  const hu = peak + LUNG_MIN_HU;
  const noiseHu = 1.4826 * mad;
  return { hu, noiseHu, voxels };
}
