import { median } from './ball-voxels.js';
import type { CoarseRegion, Component } from './coarse-region.js';
import { gridPointSampler, type Grid } from './sample-grid.js';
import { CORE_CAP_HU, RIM_MIN_HU, type ThresholdLevels } from './nodule-threshold.js';
import { voxelToWorld, type Volume } from './volume.js';

/**
 * The ground-glass level around a denser core, or null when there is none (a solid nodule):
 *
 * 1. the ring 1.0-1.5 mm beyond `core` (segmented at the core threshold) reads at least
 *    RIM_MIN_HU above the lung and below the core's threshold; or else,
 * 2. when the core is much denser than that threshold (by 100 HU or more), the core is segmented
 *    again halfway between the threshold and the core intensity, which leaves out glass denser than
 *    the first threshold (a -460 HU rim around a soft-tissue core) or a centre that is half core,
 *    half glass, and the ring 1.5-2.0 mm beyond that tighter core must read so.
 *
 * The second ring lies further out because the tighter core's edge sits inside the partial-volume
 * ramp of a solid edge. Rims thinner than about 1 mm are not told from partial volume.
 */
export function findRim(volume: Volume, region: CoarseRegion, levels: ThresholdLevels, core: Component, seedRadiusMm: number): number | null {
  const isRim = (hu: number | null, below: number): hu is number => hu !== null && hu - levels.backgroundHu >= RIM_MIN_HU && hu < below;
  const first = rimLevel(volume, region, core);
  if (isRim(first, core.threshold)) return first;
  const dense = Math.min(levels.coreHu, CORE_CAP_HU);
  if (dense - core.threshold < TIGHT_CORE_HU) return null;
  const tight = (core.threshold + dense) / 2;
  const seed = region.seedNear(tight, seedRadiusMm);
  if (seed < 0) return null;
  const inner = region.grow(seed, tight);
  if (inner.touches) return null;
  const second = rimLevel(volume, region, inner, 1.5, 2.0);
  return isRim(second, tight) ? second : null;
}

/** How much denser than the threshold a core must be for the tighter second look. */
const TIGHT_CORE_HU = 100;

/** In-plane pixel of the slice the rim is looked for on (mm). */
const PIXEL_MM = 0.25;
/** Distances beyond the core's edge that the rim is read at (mm). */
export const RIM_FROM_MM = 1.0;
export const RIM_TO_MM = 1.5;

/**
 * The intensity just outside a segmented core: the median HU of the pixels between 1.0 and 1.5 mm
 * beyond the core's edge, in-plane, on the axial slice where the coarse core is largest (resampled
 * at 0.25 mm). Null when fewer than 8 pixels lie there.
 *
 * Why this ring: a blurred solid edge has fallen to within a few per cent of the lung value 1 mm
 * beyond its midpoint (in-plane blur is about one pixel, 0.6-0.9 mm), so a solid nodule's ring reads
 * as lung, while ground glass around a denser core (a part-solid nodule) keeps the ring at the
 * glass level when the rim is thicker than about 1 mm. The axial slice avoids the slice-thickness
 * blur along z, which would make the caps of any nodule look like a rim.
 */
export function rimLevel(volume: Volume, region: CoarseRegion, core: Component, fromMm = RIM_FROM_MM, toMm = RIM_TO_MM): number | null {
  const n = region.n;
  const perLayer = new Map<number, number>();
  for (const p of core.members) {
    const k = Math.floor(p / (n * n));
    perLayer.set(k, (perLayer.get(k) ?? 0) + 1);
  }
  let layer = core.min[2];
  let most = -1;
  for (const [k, count] of perLayer) {
    if (count > most || (count === most && k < layer)) {
      most = count;
      layer = k;
    }
  }
  const margin = toMm + 1.5;
  const lo = voxelToWorld(region.grid, [core.min[0] - margin, core.min[1] - margin, layer]);
  const hi = voxelToWorld(region.grid, [core.max[0] + margin, core.max[1] + margin, layer]);
  const nx = Math.ceil((hi[0] - lo[0]) / PIXEL_MM) + 1;
  const ny = Math.ceil((hi[1] - lo[1]) / PIXEL_MM) + 1;
  const slice: Grid = { shape: [nx, ny, 1], spacing: [PIXEL_MM, PIXEL_MM, PIXEL_MM], origin: lo, direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
  const sample = gridPointSampler(volume, slice);
  const values = new Float32Array(nx * ny);
  const inCore = new Uint8Array(nx * ny);
  for (let j = 0, p = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++, p++) {
      values[p] = sample(i, j, 0);
      // Core pixels: above the core's threshold where the coarse core (or its ring) is, so a
      // separate structure above threshold in the slice is not taken for the core.
      const ci = Math.round(lo[0] + i * PIXEL_MM - region.grid.origin[0]);
      const cj = Math.round(lo[1] + j * PIXEL_MM - region.grid.origin[1]);
      if (values[p]! > core.threshold && near(core.mask, ci, cj, layer, n)) inCore[p] = 1;
    }
  }
  const edge: number[] = [];
  for (let j = 0, p = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++, p++) {
      if (inCore[p] === 1 && (i === 0 || j === 0 || i === nx - 1 || j === ny - 1 || !inCore[p - 1] || !inCore[p + 1] || !inCore[p - nx] || !inCore[p + nx])) edge.push(i, j);
    }
  }
  const from2 = (fromMm / PIXEL_MM) ** 2;
  const to2 = (toMm / PIXEL_MM) ** 2;
  const ring: number[] = [];
  for (let j = 0, p = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++, p++) {
      if (inCore[p] === 1) continue;
      let d2 = Infinity;
      for (let e = 0; e < edge.length && d2 >= from2; e += 2) d2 = Math.min(d2, (i - edge[e]!) ** 2 + (j - edge[e + 1]!) ** 2);
      if (d2 >= from2 && d2 <= to2) ring.push(values[p]!);
    }
  }
  return ring.length >= 8 ? median(ring) : null;
}

/** Whether coarse voxel (i, j, k) or one of its 8 in-plane neighbours belongs to the mask. */
function near(mask: Uint8Array, i: number, j: number, k: number, n: number): boolean {
  for (let b = Math.max(0, j - 1); b <= Math.min(n - 1, j + 1); b++) {
    for (let a = Math.max(0, i - 1); a <= Math.min(n - 1, i + 1); a++) {
      if (mask[a + n * (b + n * k)] === 1) return true;
    }
  }
  return false;
}
