import { axialDiameters } from './axial-diameters.js';
import type { CoarseRegion, Component } from './coarse-region.js';
import { connectedComponent, nearestInMask } from './connected-component.js';
import { openMask } from './open-mask.js';
import { gridPointSampler, type Grid } from './sample-grid.js';
import { voxelToWorld, worldToVoxel, type Vec3, type Volume } from './volume.js';

/**
 * Radius of the ball the fine segmentation is opened with (mm): a quarter of the nodule's
 * equivalent radius, at most OPEN_MAX_MM (strands under 2 mm thick go).
 */
const OPEN_MAX_MM = 1;
const OPEN_FRACTION = 0.25;

export interface FineMeasurement {
  readonly volumeMm3: number;
  readonly longMm: number;
  readonly shortMm: number;
  /** Edge of the fine grid's voxels (mm). */
  readonly voxelMm: number;
}

/**
 * Measures a coarse component again on a fine grid: its bounding box plus 2 mm, resampled
 * (trilinear) at h = min(0.5, max(0.1, extent / 40)) mm (at least 40 voxels across the nodule),
 * thresholded at the component's threshold and limited to the coarse component grown by one voxel in
 * all 26 directions (`ring`: so the fine segmentation cannot leak); only fine voxels whose nearest
 * coarse voxel is allowed are sampled at all.
 *
 * The mask is then opened (open-mask) by a ball of a quarter of the nodule's equivalent radius, at
 * most 1 mm: strands thinner than the ball (spicules, small vessels touching the nodule, noise specks
 * that a low ground-glass threshold lets join) go, so they do not lengthen the axes, while the
 * nodule's body keeps its shape. A nodule nothing of which is that broad is measured unopened.
 * The 6-connected component grown from the fine voxel nearest `seed` (LPS) is the nodule: volume =
 * voxels x h^3, axial diameters by axialDiameters.
 */
export function fineMeasure(volume: Volume, region: CoarseRegion, component: Component, ring: Int32Array, seed: Vec3): FineMeasurement {
  const coarse = region.grid;
  const n = region.n;
  const allowed = Uint8Array.from(component.mask);
  for (const q of ring) allowed[q] = 1;
  const extent = Math.max(...[0, 1, 2].map((a) => component.max[a]! - component.min[a]! + 1));
  const h = Math.min(0.5, Math.max(0.1, extent / 40));
  const lo = voxelToWorld(coarse, [component.min[0] - 2, component.min[1] - 2, component.min[2] - 2]);
  const hi = voxelToWorld(coarse, [component.max[0] + 2, component.max[1] + 2, component.max[2] + 2]);
  const fine: Grid = {
    shape: [Math.ceil((hi[0] - lo[0]) / h) + 1, Math.ceil((hi[1] - lo[1]) / h) + 1, Math.ceil((hi[2] - lo[2]) / h) + 1],
    spacing: [h, h, h],
    origin: lo,
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
  };
  // Both grids run along the world axes, so the nearest coarse voxel is found axis by axis; -1
  // marks fine positions past the coarse cube, where nothing is allowed.
  const [fx, fy, fz] = fine.shape;
  const nearest = (a: number, count: number): Int32Array =>
    Int32Array.from({ length: count }, (_, f) => {
      const q = Math.round((lo[a]! + f * h - coarse.origin[a]!) / coarse.spacing[a]!);
      return q >= 0 && q < n ? q : -1;
    });
  const qi = nearest(0, fx);
  const qj = nearest(1, fy);
  const qk = nearest(2, fz);
  const sample = gridPointSampler(volume, fine);
  const t = component.threshold;
  const mask = new Uint8Array(fx * fy * fz);
  for (let k = 0, p = 0; k < fz; k++) {
    for (let j = 0; j < fy; j++, p += fx) {
      if (qk[k]! < 0 || qj[j]! < 0) continue;
      const row = n * (qj[j]! + n * qk[k]!);
      for (let i = 0; i < fx; i++) {
        const q = qi[i]!;
        if (q >= 0 && allowed[row + q] === 1 && sample(i, j, k) > t) mask[p + i] = 1;
      }
    }
  }
  const at = worldToVoxel(fine, seed);
  const radiusMm = Math.cbrt((3 * component.members.length) / (4 * Math.PI));
  const opened = openMask(mask, fine.shape, Math.min(OPEN_MAX_MM, OPEN_FRACTION * radiusMm) / h);
  let fineSeed = nearestInMask(opened, fine.shape, fine.spacing, at, 1.5);
  let kept = opened;
  if (fineSeed < 0) {
    // Nothing of the nodule is broader than the ball (a nodule under about 2 mm): measure it unopened.
    fineSeed = nearestInMask(mask, fine.shape, fine.spacing, at, 1.5);
    kept = mask;
  }
  const nodule = connectedComponent(kept, fine.shape, Math.max(0, fineSeed));
  let count = 0;
  for (const v of nodule) count += v;
  const axes = axialDiameters(nodule, fine.shape, h);
  return { volumeMm3: count * h ** 3, longMm: axes.longMm, shortMm: axes.shortMm, voxelMm: h };
}
