import { ballVoxels, median } from './ball-voxels.js';
import { lungBackground } from './lung-background.js';
import type { Vec3, Volume } from './volume.js';

/** The intensities the segmentation threshold is chosen from (HU). */
export interface ThresholdLevels {
  /** Lung around the nodule: peak of the lung-range voxels 12-24 mm from the centre (lung-background). */
  readonly backgroundHu: number;
  /** Spread of those voxels as a normal SD (noise plus parenchymal texture). */
  readonly noiseHu: number;
  /** Median of the voxels within 1.5 mm of the centre: the nodule's own intensity there. */
  readonly coreHu: number;
  /** Ground glass found around a denser core (rim-level findRim), else null. */
  readonly rimHu: number | null;
  /** The lowest threshold allowed: background + max(2.5 noise, 50) HU. */
  readonly floorHu: number;
}

/** Threshold when no lung surrounds the centre (the classic midpoint of lung -850 and soft tissue 50). */
export const FALLBACK_THRESHOLD_HU = -400;
/** A core denser than this (calcium) counts as soft tissue: the nodule's edge is soft tissue or glass. */
export const CORE_CAP_HU = 100;
/** The floor sits this many noise SDs above the lung, and at least FLOOR_MIN_HU above it. */
const FLOOR_NOISE_SDS = 2.5;
const FLOOR_MIN_HU = 50;
/** A ring this much above the lung around a denser core is ground glass (part-solid nodule). */
export const RIM_MIN_HU = 80;
const CORE_RADIUS_MM = 1.5;

/**
 * Lung background, noise and core intensity around `centre`, or null when no lung surrounds it
 * (lungBackground finds too few lung-range voxels).
 */
export function thresholdLevels(volume: Volume, centre: Vec3): ThresholdLevels | null {
  const lung = lungBackground(volume, centre);
  if (lung === null) return null;
  let core = ballVoxels(volume, centre, 0, CORE_RADIUS_MM);
  if (core.length === 0) core = ballVoxels(volume, centre, 0, Math.max(...volume.spacing));
  return {
    backgroundHu: lung.hu,
    noiseHu: lung.noiseHu,
    coreHu: median(core),
    rimHu: null,
    floorHu: lung.hu + Math.max(FLOOR_NOISE_SDS * lung.noiseHu, FLOOR_MIN_HU),
  };
}

/**
 * The first threshold: halfway between the lung and the core (capped at 100 HU), where
 * partial-volume blurring puts the edge between two plateaus, but never below the floor, where
 * parenchymal noise and texture would join the nodule. Rounded to a whole HU.
 */
export function coreThreshold(levels: ThresholdLevels): number {
  return Math.round(Math.max(levels.floorHu, (levels.backgroundHu + Math.min(levels.coreHu, CORE_CAP_HU)) / 2));
}

/**
 * The threshold for a ground-glass rim found around the core (rim-level findRim): the nodule's
 * outer edge runs between the lung and the glass, so the threshold is halfway between them (not
 * below the floor), rounded to a whole HU; null unless that is below the `current` threshold.
 */
export function rimThreshold(levels: ThresholdLevels, current: number, rimHu: number): number | null {
  const t = Math.round(Math.max(levels.floorHu, (levels.backgroundHu + rimHu) / 2));
  return t < current ? t : null;
}
