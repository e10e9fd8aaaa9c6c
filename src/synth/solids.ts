import type { Capsule, PlacedShape } from './nodule-appearance.js';
import { maxRadius, radiusAt } from './radial-shape.js';
import type { SdFn } from './voxel-frame.js';

/**
 * Signed distance bound of a placed radial shape: |u| - scale rho(u / |u|) with u = q - centre.
 * Not a true distance where lobes are steep (its gradient may exceed 1), which the renderer's
 * margin of 1.5 half-diagonals absorbs.
 */
export function radialSd(p: PlacedShape): SdFn {
  const [cx, cy, cz] = p.centre;
  const s = p.scaleMm;
  const shape = p.shape;
  return (x, y, z) => {
    const ux = x - cx;
    const uy = y - cy;
    const uz = z - cz;
    const r = Math.sqrt(ux * ux + uy * uy + uz * uz);
    if (r < 1e-9) return -s * 0.5;
    return r - s * radiusAt(shape, ux / r, uy / r, uz / r);
  };
}

/** Largest distance (mm) of the placed shape's surface from its centre. */
export function placedReach(p: PlacedShape): number {
  return p.scaleMm * maxRadius(p.shape);
}

/** Exact signed distance of a capsule whose radius tapers linearly from r0 at a to r1 at b. */
export function capsuleSd(c: Capsule): SdFn {
  const [ax, ay, az] = c.a;
  const dx = c.b[0] - ax;
  const dy = c.b[1] - ay;
  const dz = c.b[2] - az;
  const len2 = dx * dx + dy * dy + dz * dz;
  const { r0, r1 } = c;
  return (x, y, z) => {
    let s = len2 > 0 ? ((x - ax) * dx + (y - ay) * dy + (z - az) * dz) / len2 : 0;
    s = s < 0 ? 0 : s > 1 ? 1 : s;
    const px = x - ax - s * dx;
    const py = y - ay - s * dy;
    const pz = z - az - s * dz;
    return Math.sqrt(px * px + py * py + pz * pz) - (r0 + (r1 - r0) * s);
  };
}

export function unionSd(parts: readonly SdFn[]): SdFn {
  return (x, y, z) => {
    let d = Infinity;
    for (const p of parts) {
      const v = p(x, y, z);
      if (v < d) d = v;
    }
    return d;
  };
}

export function intersectSd(a: SdFn, b: SdFn): SdFn {
  return (x, y, z) => Math.max(a(x, y, z), b(x, y, z));
}
