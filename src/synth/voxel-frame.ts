import type { Vec3 } from '../imaging/volume.js';
import type { ScanGeometry } from './scan-geometry.js';
import { worldToAnatomy } from './rigid-pose.js';

/** Signed distance (mm, approximate): negative inside a solid. */
export type SdFn = (x: number, y: number, z: number) => number;

/**
 * How a scan's voxel grid maps into the anatomy frame: the anatomy point of voxel (i, j, k) is
 * q000 + i ex + j ey + k ez, and a voxel is split into sub-samples (offsets from its centre, in the
 * anatomy frame) no more than `subsampleMm` apart along each axis, for partial-volume edges.
 */
export interface VoxelFrame {
  readonly q000: Vec3;
  readonly ex: Vec3;
  readonly ey: Vec3;
  readonly ez: Vec3;
  /** Sub-sample offsets, flattened x, y, z. */
  readonly offsets: Float64Array;
  readonly count: number;
  /** A voxel whose centre lies farther than this from a surface is entirely on one side of it. */
  readonly margin: number;
}

/**
 * The frame of a scan's grid with sub-samples at most `subsampleMm` apart. `lipschitz` bounds how
 * much faster than a true distance the signed distances used with this frame may change (1 for
 * exact distances such as capsules'); the margin is that times the voxel's half-diagonal.
 */
export function voxelFrame(g: ScanGeometry, subsampleMm: number, lipschitz = 1): VoxelFrame {
  const r = g.pose.rotation;
  const [sx, sy, sz] = g.spacing;
  const ex: Vec3 = [r[0]! * sx, r[1]! * sx, r[2]! * sx];
  const ey: Vec3 = [r[3]! * sy, r[4]! * sy, r[5]! * sy];
  const ez: Vec3 = [r[6]! * sz, r[7]! * sz, r[8]! * sz];
  const n = g.spacing.map((s) => Math.max(1, Math.ceil(s / subsampleMm)));
  const [na, nb, nc] = [n[0]!, n[1]!, n[2]!];
  const offsets = new Float64Array(3 * na * nb * nc);
  let o = 0;
  for (let c = 0; c < nc; c++) {
    for (let b = 0; b < nb; b++) {
      for (let a = 0; a < na; a++) {
        const da = (a + 0.5) / na - 0.5;
        const db = (b + 0.5) / nb - 0.5;
        const dc = (c + 0.5) / nc - 0.5;
        offsets[o++] = da * ex[0] + db * ey[0] + dc * ez[0];
        offsets[o++] = da * ex[1] + db * ey[1] + dc * ez[1];
        offsets[o++] = da * ex[2] + db * ey[2] + dc * ez[2];
      }
    }
  }
  const halfDiagonal = 0.5 * Math.hypot(sx, sy, sz);
  return { q000: worldToAnatomy(g.pose, g.origin), ex, ey, ez, offsets, count: na * nb * nc, margin: lipschitz * halfDiagonal + 0.01 };
}

/**
 * Fraction of the voxel centred at anatomy point (x, y, z) inside the solid: 0 or 1 when the centre
 * is farther than the margin from the surface, else the share of sub-samples inside (box-filter
 * partial volume, as a CT detector integrates over its voxel).
 */
export function coverage(sd: SdFn, f: VoxelFrame, x: number, y: number, z: number): number {
  const d = sd(x, y, z);
  if (d > f.margin) return 0;
  if (d < -f.margin) return 1;
  return subsampledCoverage(sd, f, x, y, z);
}

/** Share of the voxel's sub-samples inside the solid, without the far-from-surface shortcut. */
export function subsampledCoverage(sd: SdFn, f: VoxelFrame, x: number, y: number, z: number): number {
  const o = f.offsets;
  let inside = 0;
  for (let s = 0; s < o.length; s += 3) {
    if (sd(x + o[s]!, y + o[s + 1]!, z + o[s + 2]!) <= 0) inside++;
  }
  return inside / f.count;
}

/** Index range [lo, hi] of voxels along one axis whose centres may lie within [wmin, wmax] (world). */
export function indexRange(origin: number, spacing: number, n: number, wmin: number, wmax: number): [number, number] {
  const lo = Math.max(0, Math.floor((wmin - origin) / spacing));
  const hi = Math.min(n - 1, Math.ceil((wmax - origin) / spacing));
  return [lo, hi];
}
