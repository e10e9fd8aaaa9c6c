import { connectedComponent, nearestInMask } from './connected-component.js';
import { axialDiameters } from './axial-diameters.js';
import { centredGrid, sampleGrid, type Grid } from './sample-grid.js';
import { voxelToWorld, worldToVoxel, type Vec3, type Volume } from './volume.js';

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
  readonly thresholdHu: number;
  /** Edge of the cubic measurement region (mm) and voxel size of the fine grid measured on. */
  readonly regionMm: number;
  readonly voxelMm: number;
}

export interface MeasureOptions {
  /** HU above which a voxel is nodule (default -400: halfway between aerated lung and soft tissue). */
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
 * 1. Coarse: the volume is resampled trilinearly on a 1 mm cube of `regionMm` (64 mm, the patch's
 *    in-plane extent, also in z so that nodules taller than the 16 mm patch depth are measured
 *    whole) centred on `centre`; voxels above the threshold form a mask and the 6-connected
 *    component grown from the mask voxel nearest the centre is the nodule. If it reaches the
 *    region's border the nodule is flagged (touchesBorder) and no diameter is given.
 * 2. Fine: the component's bounding box plus 2 mm is resampled at h = min(0.5, max(0.1, extent /
 *    80)) mm, thresholded again, limited to the coarse component grown by one voxel (so it cannot
 *    leak), and its component measured: volume = voxels x h^3; axial diameters by axialDiameters.
 *
 * The trilinear resampling and the midpoint threshold place the surface where the intensity
 * crosses halfway between lung and nodule, which is where partial-volume blurring puts a sharp edge.
 */
export function measureNodule(volume: Volume, centre: Vec3, options: MeasureOptions = {}): NoduleMeasurement {
  const thresholdHu = options.thresholdHu ?? -400;
  const regionMm = options.regionMm ?? 64;
  const seedRadiusMm = options.seedRadiusMm ?? 3;
  const n = Math.round(regionMm);
  const coarse = centredGrid(centre, [n, n, n], [1, 1, 1]);
  const coarseMask = threshold(sampleGrid(volume, coarse), thresholdHu);
  const c = (n - 1) / 2;
  const seed = nearestInMask(coarseMask, coarse.shape, coarse.spacing, [c, c, c], seedRadiusMm);
  const base = { thresholdHu, regionMm: n, voxelMm: 1 };
  if (seed < 0) {
    return { ...base, found: false, touchesBorder: false, volumeMm3: 0, meanDiameterMm: null, longAxisMm: null, shortAxisMm: null, equivalentDiameterMm: null, seed: null };
  }
  const component = connectedComponent(coarseMask, coarse.shape, seed);
  const box = boundingBox(component, coarse.shape);
  const seedWorld = voxelToWorld(coarse, indexToIjk(seed, coarse.shape));
  if (box.touches) {
    let count = 0;
    for (const v of component) count += v;
    return { ...base, found: true, touchesBorder: true, volumeMm3: count, meanDiameterMm: null, longAxisMm: null, shortAxisMm: null, equivalentDiameterMm: null, seed: seedWorld };
  }
  const extent = Math.max(...[0, 1, 2].map((a) => box.max[a]! - box.min[a]! + 1));
  const h = Math.min(0.5, Math.max(0.1, extent / 80));
  const lo = voxelToWorld(coarse, [box.min[0]! - 2, box.min[1]! - 2, box.min[2]! - 2]);
  const hi = voxelToWorld(coarse, [box.max[0]! + 2, box.max[1]! + 2, box.max[2]! + 2]);
  const fine: Grid = {
    shape: [Math.ceil((hi[0] - lo[0]) / h) + 1, Math.ceil((hi[1] - lo[1]) / h) + 1, Math.ceil((hi[2] - lo[2]) / h) + 1],
    spacing: [h, h, h],
    origin: lo,
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
  };
  const fineMask = threshold(sampleGrid(volume, fine), thresholdHu);
  const allowed = dilate(component, coarse.shape);
  const [fx, fy, fz] = fine.shape;
  for (let k = 0, p = 0; k < fz; k++) {
    for (let j = 0; j < fy; j++) {
      for (let i = 0; i < fx; i++, p++) {
        if (fineMask[p] === 0) continue;
        // The fine box may reach past the coarse cube; outside it nothing is allowed.
        const q = worldToVoxel(coarse, voxelToWorld(fine, [i, j, k])).map(Math.round);
        const inCube = q.every((x) => x >= 0 && x < n);
        if (!inCube || allowed[q[0]! + n * (q[1]! + n * q[2]!)] === 0) fineMask[p] = 0;
      }
    }
  }
  const fineSeed = nearestInMask(fineMask, fine.shape, fine.spacing, worldToVoxel(fine, seedWorld), 1.5);
  const nodule = connectedComponent(fineMask, fine.shape, Math.max(0, fineSeed));
  let count = 0;
  for (const v of nodule) count += v;
  const volumeMm3 = count * h ** 3;
  const axes = axialDiameters(nodule, fine.shape, h);
  return {
    thresholdHu,
    regionMm: n,
    voxelMm: h,
    found: true,
    touchesBorder: false,
    volumeMm3,
    meanDiameterMm: (axes.longMm + axes.shortMm) / 2,
    longAxisMm: axes.longMm,
    shortAxisMm: axes.shortMm,
    equivalentDiameterMm: Math.cbrt((6 * volumeMm3) / Math.PI),
    seed: seedWorld,
  };
}

function threshold(hu: Float32Array, t: number): Uint8Array {
  const mask = new Uint8Array(hu.length);
  for (let p = 0; p < hu.length; p++) mask[p] = hu[p]! > t ? 1 : 0;
  return mask;
}

function indexToIjk(p: number, shape: Vec3): Vec3 {
  return [p % shape[0], Math.floor(p / shape[0]) % shape[1], Math.floor(p / (shape[0] * shape[1]))];
}

/** Voxel bounding box of a 0/1 mask and whether it reaches the grid's border. */
function boundingBox(mask: Uint8Array, shape: Vec3): { min: number[]; max: number[]; touches: boolean } {
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let p = 0; p < mask.length; p++) {
    if (mask[p] === 0) continue;
    const ijk = indexToIjk(p, shape);
    for (let a = 0; a < 3; a++) {
      min[a] = Math.min(min[a]!, ijk[a]!);
      max[a] = Math.max(max[a]!, ijk[a]!);
    }
  }
  const touches = [0, 1, 2].some((a) => min[a] === 0 || max[a] === shape[a]! - 1);
  return { min, max, touches };
}

/** The mask grown by one voxel in all 26 directions. */
function dilate(mask: Uint8Array, shape: Vec3): Uint8Array {
  const [nx, ny, nz] = shape;
  const out = new Uint8Array(mask.length);
  for (let p = 0; p < mask.length; p++) {
    if (mask[p] === 0) continue;
    const [i, j, k] = indexToIjk(p, shape);
    for (let dk = -1; dk <= 1; dk++) {
      for (let dj = -1; dj <= 1; dj++) {
        for (let di = -1; di <= 1; di++) {
          const a = i + di;
          const b = j + dj;
          const c = k + dk;
          if (a >= 0 && b >= 0 && c >= 0 && a < nx && b < ny && c < nz) out[a + nx * (b + ny * c)] = 1;
        }
      }
    }
  }
  return out;
}
