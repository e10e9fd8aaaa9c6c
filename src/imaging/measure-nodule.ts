import { CoarseRegion } from './coarse-region.js';
import { fineMeasure } from './fine-measure.js';
import { findRim } from './rim-level.js';
import { coreThreshold, FALLBACK_THRESHOLD_HU, rimThreshold, thresholdLevels, type ThresholdLevels } from './nodule-threshold.js';
import { voxelToWorld, type Vec3, type Volume } from './volume.js';

export interface NoduleMeasurement {
  /** A structure above the threshold was found within `seedRadiusMm` of the centre. */
  readonly found: boolean;
  /**
   * The segmentation reaches the border of the measurement region: the nodule is larger than the
   * region or joined to a wall or vessel. Diameters are then null and volumeMm3 is only the part
   * inside the region (a lower bound), so growth computed from it is not a nodule's growth.
   */
  readonly touchesBorder: boolean;
  /** Segmented volume in mm^3 (0 when not found). */
  readonly volumeMm3: number;
  /** Mean axial diameter: (long + short axis) / 2 on the axial slice of largest area (Lung-RADS v2022). */
  readonly meanDiameterMm: number | null;
  readonly longAxisMm: number | null;
  /** Longest extent perpendicular to the long axis, on the same slice. */
  readonly shortAxisMm: number | null;
  /** Diameter of the sphere of the same volume, (6 V / pi)^(1/3). */
  readonly equivalentDiameterMm: number | null;
  /** World position (LPS) of the seed voxel the segmentation grew from. */
  readonly seed: Vec3 | null;
  /** The threshold the segmentation used (HU): adaptive unless MeasureOptions.thresholdHu fixed it. */
  readonly thresholdHu: number;
  /**
   * What the adaptive threshold was chosen from; absent when the threshold was fixed by the caller
   * or no lung surrounds the centre (then FALLBACK_THRESHOLD_HU, -400 HU, is used).
   */
  readonly levels?: ThresholdLevels;
  /** Edge of the cubic measurement region (mm) and voxel size of the fine grid measured on. */
  readonly regionMm: number;
  readonly voxelMm: number;
}

export interface MeasureOptions {
  /** A fixed threshold (HU) instead of the adaptive one. */
  readonly thresholdHu?: number;
  /** Edge of the cubic region around the centre (default 64 mm, the in-plane size of the patch). */
  readonly regionMm?: number;
  /** How far from the centre the segmentation may start (default 3 mm). */
  readonly seedRadiusMm?: number;
}

/**
 * Segments the nodule at `centre` (LPS, mm) by threshold and connected component, and measures
 * its volume and diameters.
 *
 * 1. Threshold (nodule-threshold): from the scan's voxels, the lung background B (peak of the
 *    lung-range voxels 12-24 mm away) and its noise s, and the core intensity C (median within
 *    1.5 mm of the centre). The threshold is max(floor, (B + min(C, 100)) / 2), floor = B +
 *    max(2.5 s, 50): halfway between the two plateaus, where partial-volume blurring puts the
 *    edge, so a solid nodule (C near 30 HU) is cut near -415 HU as a fixed -400 HU would, a
 *    ground-glass one (C near -650 HU) near -750 HU, and noise never joins it.
 * 2. Coarse: the volume is resampled trilinearly on a 1 mm cube of `regionMm` (64 mm, the patch's
 *    in-plane extent, also in z so that nodules taller than the 16 mm patch depth are measured
 *    whole) centred on `centre`, lazily (coarse-region); the 6-connected component above the
 *    threshold grown from the voxel nearest the centre is the nodule.
 * 3. Part-solid: when ground glass surrounds a denser core (rim-level findRim: in-plane rings just
 *    beyond the core read at least 80 HU above B), the threshold moves halfway between B and the
 *    glass and the component is grown again, so the whole nodule is measured, as Lung-RADS v2022
 *    sizes a part-solid nodule by its total diameter.
 * 4. If the component reaches the region's border the nodule is flagged (touchesBorder: larger than
 *    the region, or joined to the chest wall or a vessel) and no diameter is given. Otherwise it is
 *    measured again on a fine grid, opened so that spicules, thin vessels and noise specks do not
 *    lengthen its axes (fine-measure): volume, axial diameters.
 */
export function measureNodule(volume: Volume, centre: Vec3, options: MeasureOptions = {}): NoduleMeasurement {
  const seedRadiusMm = options.seedRadiusMm ?? 3;
  const region = new CoarseRegion(volume, centre, options.regionMm ?? 64);
  let levels = options.thresholdHu === undefined ? thresholdLevels(volume, centre) : null;
  let thresholdHu = options.thresholdHu ?? (levels === null ? FALLBACK_THRESHOLD_HU : coreThreshold(levels));
  const seed = region.seedNear(thresholdHu, seedRadiusMm);
  const base = { regionMm: region.n, voxelMm: 1, ...(levels === null ? {} : { levels }) };
  if (seed < 0) {
    return { ...base, thresholdHu, found: false, touchesBorder: false, volumeMm3: 0, meanDiameterMm: null, longAxisMm: null, shortAxisMm: null, equivalentDiameterMm: null, seed: null };
  }
  let component = region.grow(seed, thresholdHu);
  const rimHu = levels === null || component.touches ? null : findRim(volume, region, levels, component, seedRadiusMm);
  const t = levels === null || rimHu === null ? null : rimThreshold(levels, thresholdHu, rimHu);
  if (levels !== null && t !== null) {
    levels = { ...levels, rimHu };
    thresholdHu = t;
    component = region.grow(seed, t); // the core's seed is above any lower threshold too
  }
  const n = region.n;
  const seedWorld = voxelToWorld(region.grid, [seed % n, Math.floor(seed / n) % n, Math.floor(seed / (n * n))]);
  const found = { ...base, ...(levels === null ? {} : { levels }), thresholdHu, found: true, seed: seedWorld };
  if (component.touches) {
    return { ...found, touchesBorder: true, volumeMm3: component.members.length, meanDiameterMm: null, longAxisMm: null, shortAxisMm: null, equivalentDiameterMm: null };
  }
  const fine = fineMeasure(volume, region, component, region.ring(component), seedWorld);
  return {
    ...found,
    voxelMm: fine.voxelMm,
    touchesBorder: false,
    volumeMm3: fine.volumeMm3,
    meanDiameterMm: (fine.longMm + fine.shortMm) / 2,
    longAxisMm: fine.longMm,
    shortAxisMm: fine.shortMm,
    equivalentDiameterMm: Math.cbrt((6 * fine.volumeMm3) / Math.PI),
  };
}
