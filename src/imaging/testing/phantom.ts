import { Rng } from '../../util/random.js';
import type { Grid } from '../sample-grid.js';
import type { Vec3, Volume } from '../volume.js';
import { voxelToWorld } from '../volume.js';

/** A denser part inside the nodule (the solid core of a part-solid nodule), clipped to the nodule. */
export interface CoreSpec {
  /** Full axis lengths along x, y, z before the nodule's rotation (mm). */
  readonly diametersMm: Vec3;
  /** Offset of the core's centre from the nodule's centre, in world axes (mm). */
  readonly offsetMm?: Vec3;
  readonly hu: number;
}

export interface EllipsoidSpec {
  /** World centre (LPS, mm). */
  readonly centre: Vec3;
  /** Full axis lengths along x, y, z before the rotation (mm). */
  readonly diametersMm: Vec3;
  /** Rotation about the z axis (degrees), so in-plane axes may lie obliquely. */
  readonly rotationZDeg?: number;
  readonly noduleHu?: number;
  readonly backgroundHu?: number;
  readonly core?: CoreSpec;
  /** SD (HU) of white Gaussian noise added to every voxel, drawn from Rng(noiseSeed). */
  readonly noiseHu?: number;
  readonly noiseSeed?: number;
}

/**
 * Test phantom: a uniform ellipsoid (default 40 HU, soft tissue; -650 HU makes a ground-glass
 * nodule) in uniform lung (default -850 HU) on `grid`, optionally with a denser core (a part-solid
 * nodule) and white noise, with partial volume as a CT scanner records it: a voxel cut by a surface
 * gets the mean over a 6 x 6 x 6 sub-sample of its box. Values are rounded to int16 HU. The world
 * position of each voxel comes from the grid's geometry, so any orientation gives the same object
 * in world space. Its exact volume is pi/6 dx dy dz and its mean axial diameter (dx + dy) / 2.
 */
export function ellipsoidPhantom(grid: Grid, spec: EllipsoidSpec): Volume {
  const inHu = spec.noduleHu ?? 40;
  const outHu = spec.backgroundHu ?? -850;
  const outer = ellipsoid(spec.centre, spec.diametersMm, spec.rotationZDeg ?? 0);
  const core = spec.core === undefined ? null : ellipsoid(add(spec.centre, spec.core.offsetMm ?? [0, 0, 0]), spec.core.diametersMm, spec.rotationZDeg ?? 0);
  const [nx, ny, nz] = grid.shape;
  const halfDiagonal = Math.hypot(...grid.spacing) / 2;
  const data = new Int16Array(nx * ny * nz);
  const rng = new Rng(spec.noiseSeed ?? 1);
  const sub = 6;
  for (let k = 0, p = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, p++) {
        const w = voxelToWorld(grid, [i, j, k]);
        const rOuter = outer.rho(w);
        const rCore = core === null ? Infinity : core.rho(w);
        let fOuter = rOuter < 1 - halfDiagonal / outer.min ? 1 : rOuter > 1 + halfDiagonal / outer.min ? 0 : NaN;
        let fCore = core === null || rCore > 1 + halfDiagonal / core.min ? 0 : rCore < 1 - halfDiagonal / core.min ? 1 : NaN;
        if (Number.isNaN(fOuter) || Number.isNaN(fCore)) {
          let inOuter = 0;
          let inCore = 0;
          for (let c = 0; c < sub; c++) {
            for (let b = 0; b < sub; b++) {
              for (let a = 0; a < sub; a++) {
                const at = voxelToWorld(grid, [i - 0.5 + (a + 0.5) / sub, j - 0.5 + (b + 0.5) / sub, k - 0.5 + (c + 0.5) / sub]);
                if (outer.rho(at) <= 1) {
                  inOuter++;
                  if (core !== null && core.rho(at) <= 1) inCore++;
                }
              }
            }
          }
          fOuter = inOuter / sub ** 3;
          fCore = inCore / sub ** 3;
        } else if (fOuter === 0) fCore = 0;
        const hu = outHu + (inHu - outHu) * fOuter + ((spec.core?.hu ?? inHu) - inHu) * fCore;
        data[p] = Math.round(hu + (spec.noiseHu === undefined ? 0 : rng.normal(0, spec.noiseHu)));
      }
    }
  }
  return { data, shape: grid.shape, spacing: grid.spacing, origin: grid.origin, direction: grid.direction };
}

/** rho(w) < 1 inside an ellipsoid (rotated about z); `min` is its smallest semi-axis. */
function ellipsoid(centre: Vec3, diametersMm: Vec3, rotationZDeg: number): { rho: (w: Vec3) => number; min: number } {
  const [ax, ay, az] = diametersMm.map((d) => d / 2) as [number, number, number];
  const angle = (rotationZDeg * Math.PI) / 180;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  return {
    rho: (w) => {
      const x = w[0] - centre[0];
      const y = w[1] - centre[1];
      const z = w[2] - centre[2];
      const u = cos * x + sin * y;
      const v = -sin * x + cos * y;
      return Math.sqrt((u / ax) ** 2 + (v / ay) ** 2 + (z / az) ** 2);
    },
    min: Math.min(ax, ay, az),
  };
}

function add(a: Vec3, b: Vec3): Vec3 {
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
}
