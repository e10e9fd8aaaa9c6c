import type { Capsule } from './nodule-appearance.js';
import type { ScanGeometry } from './scan-geometry.js';
import { capsuleSd } from './solids.js';
import type { VoxelFrame } from './voxel-frame.js';
import { coverage, indexRange } from './voxel-frame.js';
import { anatomyToWorld } from './rigid-pose.js';

/**
 * Composites a capsule of value `hu` over `out` ("over": each voxel moves its coverage's share of
 * the way to hu). Only voxels that can touch the capsule are visited: for each image row, the
 * voxels within (radius + margin) of the capsule's axis line and between its end caps form an
 * interval, found by solving a quadratic (distance to the line) and a linear inequality (the
 * projection on the axis); the capsule lies inside that interval.
 */
export function compositeCapsule(c: Capsule, hu: number, g: ScanGeometry, f: VoxelFrame, out: Float32Array): void {
  const reach = Math.max(c.r0, c.r1) + f.margin;
  const wa = anatomyToWorld(g.pose, c.a);
  const wb = anatomyToWorld(g.pose, c.b);
  const range = (a: 0 | 1 | 2): [number, number] =>
    indexRange(g.origin[a], g.spacing[a], g.shape[a], Math.min(wa[a], wb[a]) - reach, Math.max(wa[a], wb[a]) + reach);
  const [i0, i1] = range(0);
  const [j0, j1] = range(1);
  const [k0, k1] = range(2);
  if (i0 > i1 || j0 > j1 || k0 > k1) return;
  const sd = capsuleSd(c);
  const [ax, ay, az] = c.a;
  let ux = c.b[0] - ax;
  let uy = c.b[1] - ay;
  let uz = c.b[2] - az;
  const len = Math.hypot(ux, uy, uz);
  if (len > 0) {
    ux /= len;
    uy /= len;
    uz /= len;
  }
  const [ex, ey, ez] = f.ex;
  const se = ex * ux + ey * uy + ez * uz;
  const dx = ex - se * ux;
  const dy = ey - se * uy;
  const dz = ez - se * uz;
  const dd = dx * dx + dy * dy + dz * dz;
  const [nx, ny] = g.shape;
  for (let k = k0; k <= k1; k++) {
    for (let j = j0; j <= j1; j++) {
      const px0 = f.q000[0] + j * f.ey[0] + k * f.ez[0];
      const py0 = f.q000[1] + j * f.ey[1] + k * f.ez[1];
      const pz0 = f.q000[2] + j * f.ey[2] + k * f.ez[2];
      const wx = px0 - ax;
      const wy = py0 - ay;
      const wz = pz0 - az;
      const s0 = wx * ux + wy * uy + wz * uz;
      const px = wx - s0 * ux;
      const py = wy - s0 * uy;
      const pz = wz - s0 * uz;
      const pp = px * px + py * py + pz * pz;
      const pd = px * dx + py * dy + pz * dz;
      let lo = i0;
      let hi = i1;
      if (dd > 1e-12) {
        const disc = pd * pd - dd * (pp - reach * reach);
        if (disc < 0) continue;
        const root = Math.sqrt(disc);
        lo = Math.max(lo, Math.floor((-pd - root) / dd));
        hi = Math.min(hi, Math.ceil((-pd + root) / dd));
      } else if (pp > reach * reach) continue;
      if (Math.abs(se) > 1e-12) {
        const t1 = (-reach - s0) / se;
        const t2 = (len + reach - s0) / se;
        lo = Math.max(lo, Math.floor(Math.min(t1, t2)));
        hi = Math.min(hi, Math.ceil(Math.max(t1, t2)));
      } else if (s0 < -reach || s0 > len + reach) continue;
      for (let i = lo; i <= hi; i++) {
        const a = coverage(sd, f, px0 + i * ex, py0 + i * ey, pz0 + i * ez);
        if (a > 0) {
          const v = i + nx * (j + ny * k);
          out[v] = out[v]! + a * (hu - out[v]!);
        }
      }
    }
  }
}
