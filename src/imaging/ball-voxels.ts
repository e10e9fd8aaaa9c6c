import { worldToVoxel, type Vec3, type Volume } from './volume.js';

/**
 * The stored values of the voxels whose centres lie between `innerMm` and `outerMm` (inclusive)
 * from `centre` (LPS, mm), read straight from the volume (no interpolation, so their spread is the
 * scan's own noise). When more than `maxCount` voxels qualify, every s-th voxel along each axis is
 * taken (the same s on every axis, the smallest that stays near `maxCount`), so the cost is bounded
 * whatever the voxel size. Distances use the voxel spacing: the direction matrix is orthonormal.
 */
export function ballVoxels(volume: Volume, centre: Vec3, innerMm: number, outerMm: number, maxCount = Infinity): Float32Array {
  const at = worldToVoxel(volume, centre);
  const [nx, ny, nz] = volume.shape;
  const [sx, sy, sz] = volume.spacing;
  const shellMm3 = (4 / 3) * Math.PI * (outerMm ** 3 - innerMm ** 3);
  const estimate = shellMm3 / (sx * sy * sz);
  const stride = estimate > maxCount ? Math.max(1, Math.round(Math.cbrt(estimate / maxCount))) : 1;
  const range = (a: number, s: number, n: number): [number, number] => [Math.max(0, Math.ceil(at[a]! - outerMm / s)), Math.min(n - 1, Math.floor(at[a]! + outerMm / s))];
  const [i0, i1] = range(0, sx, nx);
  const [j0, j1] = range(1, sy, ny);
  const [k0, k1] = range(2, sz, nz);
  const box = (Math.floor((i1 - i0) / stride) + 1) * (Math.floor((j1 - j0) / stride) + 1) * (Math.floor((k1 - k0) / stride) + 1);
  const out = new Float32Array(Math.max(0, box));
  let count = 0;
  const inner2 = innerMm * innerMm;
  const outer2 = outerMm * outerMm;
  const data = volume.data;
  for (let k = k0; k <= k1; k += stride) {
    const dz = (k - at[2]) * sz;
    for (let j = j0; j <= j1; j += stride) {
      const dy = (j - at[1]) * sy;
      const row = nx * (j + ny * k);
      for (let i = i0; i <= i1; i += stride) {
        const dx = (i - at[0]) * sx;
        const d2 = dx * dx + dy * dy + dz * dz;
        if (d2 >= inner2 && d2 <= outer2) out[count++] = data[row + i]!;
      }
    }
  }
  return out.subarray(0, count);
}

/** The median of `values` (NaN when empty); the mean of the middle two for an even count. */
export function median(values: Float32Array | readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const h = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[h]! : (sorted[h - 1]! + sorted[h]!) / 2;
}
