import type { Vec3 } from './volume.js';

/**
 * Long and short axis of a segmented nodule as a radiologist measures them (Lung-RADS v2022: mean
 * diameter = average of the long axis and the short axis perpendicular to it, on the axial image
 * where the nodule is largest).
 *
 * `mask` is a 0/1 grid of `shape` with cubic voxels of h mm whose k axis is the world z axis. The
 * axial slice with the most voxels is taken; the long axis is the largest distance between two of
 * its boundary voxels (4-neighbourhood), the short axis the extent of all its voxels along the
 * perpendicular in-plane direction. Distances between voxel centres miss half a voxel at each end,
 * so h is added to both.
 */
export function axialDiameters(mask: Uint8Array, shape: Vec3, h: number): { longMm: number; shortMm: number; slice: number } {
  const [nx, ny, nz] = shape;
  const plane = nx * ny;
  let slice = 0;
  let most = -1;
  for (let k = 0; k < nz; k++) {
    let count = 0;
    for (let p = k * plane; p < (k + 1) * plane; p++) count += mask[p]!;
    if (count > most) {
      most = count;
      slice = k;
    }
  }
  const inside = (i: number, j: number): boolean => i >= 0 && j >= 0 && i < nx && j < ny && mask[slice * plane + i + nx * j] === 1;
  const all: [number, number][] = [];
  const edge: [number, number][] = [];
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      if (!inside(i, j)) continue;
      all.push([i, j]);
      if (!inside(i - 1, j) || !inside(i + 1, j) || !inside(i, j - 1) || !inside(i, j + 1)) edge.push([i, j]);
    }
  }
  if (all.length === 0) return { longMm: 0, shortMm: 0, slice };
  let best = 0;
  let ux = 1;
  let uy = 0;
  for (let a = 0; a < edge.length; a++) {
    for (let b = a + 1; b < edge.length; b++) {
      const dx = edge[b]![0] - edge[a]![0];
      const dy = edge[b]![1] - edge[a]![1];
      const d2 = dx * dx + dy * dy;
      if (d2 > best) {
        best = d2;
        const d = Math.sqrt(d2);
        ux = dx / d;
        uy = dy / d;
      }
    }
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const [i, j] of all) {
    const t = -uy * i + ux * j;
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  return { longMm: (Math.sqrt(best) + 1) * h, shortMm: (hi - lo + 1) * h, slice };
}
