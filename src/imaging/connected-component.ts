/**
 * The 6-connected component of `mask` (non-zero voxels, i fastest in a grid of `shape`) that
 * contains voxel `seed`, as a 0/1 array; empty when the seed is not in the mask.
 */
export function connectedComponent(mask: Uint8Array, shape: readonly [number, number, number], seed: number): Uint8Array {
  const [nx, ny, nz] = shape;
  const plane = nx * ny;
  const out = new Uint8Array(mask.length);
  if (mask[seed] === 0) return out;
  const queue = new Int32Array(mask.length);
  let head = 0;
  let tail = 0;
  queue[tail++] = seed;
  out[seed] = 1;
  while (head < tail) {
    const p = queue[head++]!;
    const i = p % nx;
    const j = Math.floor(p / nx) % ny;
    const k = Math.floor(p / plane);
    const visit = (q: number): void => {
      if (mask[q] !== 0 && out[q] === 0) {
        out[q] = 1;
        queue[tail++] = q;
      }
    };
    if (i > 0) visit(p - 1);
    if (i + 1 < nx) visit(p + 1);
    if (j > 0) visit(p - nx);
    if (j + 1 < ny) visit(p + nx);
    if (k > 0) visit(p - plane);
    if (k + 1 < nz) visit(p + plane);
  }
  return out;
}

/**
 * Index of the mask voxel nearest (in mm, given the grid spacing) to continuous voxel position
 * `at`, searching within `radiusMm`; -1 when none is that close.
 */
export function nearestInMask(
  mask: Uint8Array,
  shape: readonly [number, number, number],
  spacing: readonly [number, number, number],
  at: readonly [number, number, number],
  radiusMm: number,
): number {
  const [nx, ny, nz] = shape;
  const lo = (a: number): number => Math.max(0, Math.floor(at[a]! - radiusMm / spacing[a]!));
  const hi = (a: number, n: number): number => Math.min(n - 1, Math.ceil(at[a]! + radiusMm / spacing[a]!));
  let best = -1;
  let bestD = radiusMm * radiusMm;
  for (let k = lo(2); k <= hi(2, nz); k++) {
    for (let j = lo(1); j <= hi(1, ny); j++) {
      for (let i = lo(0); i <= hi(0, nx); i++) {
        const p = i + nx * (j + ny * k);
        if (mask[p] === 0) continue;
        const d = ((i - at[0]) * spacing[0]) ** 2 + ((j - at[1]) * spacing[1]) ** 2 + ((k - at[2]) * spacing[2]) ** 2;
        if (d < bestD || (best < 0 && d <= bestD)) {
          best = p;
          bestD = d;
        }
      }
    }
  }
  return best;
}
