import type { Grid } from '../sample-grid.js';
import type { Vec3, Volume } from '../volume.js';
import { voxelToWorld } from '../volume.js';

export interface EllipsoidSpec {
  /** World centre (LPS, mm). */
  readonly centre: Vec3;
  /** Full axis lengths along x, y, z before the rotation (mm). */
  readonly diametersMm: Vec3;
  /** Rotation about the z axis (degrees), so in-plane axes may lie obliquely. */
  readonly rotationZDeg?: number;
  readonly noduleHu?: number;
  readonly backgroundHu?: number;
}

/**
 * Test phantom: a uniform ellipsoid (default 40 HU, soft tissue) in uniform lung (default -850 HU)
 * on `grid`, with partial volume as a CT scanner records it: a voxel cut by the surface gets the
 * mean over a 6 x 6 x 6 sub-sample of its box. Values are rounded to int16 HU. The world position
 * of each voxel comes from the grid's geometry, so any orientation gives the same object in world
 * space. Its exact volume is pi/6 dx dy dz and its mean axial diameter (dx + dy) / 2.
 */
export function ellipsoidPhantom(grid: Grid, spec: EllipsoidSpec): Volume {
  const inHu = spec.noduleHu ?? 40;
  const outHu = spec.backgroundHu ?? -850;
  const [ax, ay, az] = spec.diametersMm.map((d) => d / 2) as [number, number, number];
  const angle = ((spec.rotationZDeg ?? 0) * Math.PI) / 180;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const rho = (w: Vec3): number => {
    const x = w[0] - spec.centre[0];
    const y = w[1] - spec.centre[1];
    const z = w[2] - spec.centre[2];
    const u = cos * x + sin * y;
    const v = -sin * x + cos * y;
    return Math.sqrt((u / ax) ** 2 + (v / ay) ** 2 + (z / az) ** 2);
  };
  const [nx, ny, nz] = grid.shape;
  const halfDiagonal = Math.hypot(...grid.spacing) / 2;
  const slack = halfDiagonal / Math.min(ax, ay, az);
  const data = new Int16Array(nx * ny * nz);
  const sub = 6;
  for (let k = 0, p = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, p++) {
        const r = rho(voxelToWorld(grid, [i, j, k]));
        let fraction: number;
        if (r < 1 - slack) fraction = 1;
        else if (r > 1 + slack) fraction = 0;
        else {
          let inside = 0;
          for (let c = 0; c < sub; c++) {
            for (let b = 0; b < sub; b++) {
              for (let a = 0; a < sub; a++) {
                const at: Vec3 = [i - 0.5 + (a + 0.5) / sub, j - 0.5 + (b + 0.5) / sub, k - 0.5 + (c + 0.5) / sub];
                if (rho(voxelToWorld(grid, at)) <= 1) inside++;
              }
            }
          }
          fraction = inside / sub ** 3;
        }
        data[p] = Math.round(outHu + (inHu - outHu) * fraction);
      }
    }
  }
  return { data, shape: grid.shape, spacing: grid.spacing, origin: grid.origin, direction: grid.direction };
}
