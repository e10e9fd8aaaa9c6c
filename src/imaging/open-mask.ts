import { squaredDistanceTransform } from './distance-transform.js';
import type { Vec3 } from './volume.js';

/**
 * Morphological opening of a 0/1 mask by a ball of `radius` voxels: the union of all such balls
 * that fit inside the mask (erosion, then dilation, each through an exact Euclidean distance
 * transform). Parts thinner than the ball's diameter (strands, noise specks, thin bridges) go;
 * anything broader keeps its shape. The grid's outermost layer counts as outside the mask. The
 * transforms run on the mask's bounding box grown by the radius, not on the whole grid.
 */
export function openMask(mask: Uint8Array, shape: Vec3, radius: number): Uint8Array {
  const [nx, ny, nz] = shape;
  const opened = new Uint8Array(mask.length);
  const box = maskBox(mask, shape, Math.ceil(radius) + 1);
  if (box === null) return opened;
  const [bx, by, bz] = [box.hi[0] - box.lo[0] + 1, box.hi[1] - box.lo[1] + 1, box.hi[2] - box.lo[2] + 1];
  const sub: Vec3 = [bx, by, bz];
  const outside = new Uint8Array(bx * by * bz);
  for (let k = 0, q = 0; k < bz; k++) {
    for (let j = 0; j < by; j++) {
      for (let i = 0; i < bx; i++, q++) {
        const [a, b, c] = [i + box.lo[0], j + box.lo[1], k + box.lo[2]];
        const border = a === 0 || b === 0 || c === 0 || a === nx - 1 || b === ny - 1 || c === nz - 1;
        outside[q] = border || mask[a + nx * (b + ny * c)] === 0 ? 1 : 0;
      }
    }
  }
  const r2 = radius * radius;
  const toOutside = squaredDistanceTransform(outside, sub);
  const eroded = new Uint8Array(outside.length);
  for (let q = 0; q < eroded.length; q++) eroded[q] = toOutside[q]! >= r2 ? 1 : 0;
  const toEroded = squaredDistanceTransform(eroded, sub);
  for (let k = 0, q = 0; k < bz; k++) {
    for (let j = 0; j < by; j++) {
      for (let i = 0; i < bx; i++, q++) {
        const p = i + box.lo[0] + nx * (j + box.lo[1] + ny * (k + box.lo[2]));
        if (mask[p] === 1 && toEroded[q]! <= r2) opened[p] = 1;
      }
    }
  }
  return opened;
}

/** The inclusive voxel box of the mask's non-zero voxels grown by `pad` (clipped to the grid), or null. */
function maskBox(mask: Uint8Array, shape: Vec3, pad: number): { lo: Vec3; hi: Vec3 } | null {
  const [nx, ny, nz] = shape;
  const lo = [nx, ny, nz];
  const hi = [-1, -1, -1];
  for (let k = 0, p = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, p++) {
        if (mask[p] === 0) continue;
        if (i < lo[0]!) lo[0] = i;
        if (i > hi[0]!) hi[0] = i;
        if (j < lo[1]!) lo[1] = j;
        if (j > hi[1]!) hi[1] = j;
        if (k < lo[2]!) lo[2] = k;
        if (k > hi[2]!) hi[2] = k;
      }
    }
  }
  if (hi[0]! < 0) return null;
  const clip = (v: number, n: number): number => Math.max(0, Math.min(n - 1, v));
  return {
    lo: [clip(lo[0]! - pad, nx), clip(lo[1]! - pad, ny), clip(lo[2]! - pad, nz)],
    hi: [clip(hi[0]! + pad, nx), clip(hi[1]! + pad, ny), clip(hi[2]! + pad, nz)],
  };
}
