import type { Vec3 } from './volume.js';

/**
 * Exact squared Euclidean distance (in voxels) from every voxel of a grid of `shape` (i fastest) to
 * the nearest voxel where `source` is non-zero; Infinity everywhere when there is none.
 *
 * Felzenszwalb & Huttenlocher, "Distance Transforms of Sampled Functions", Theory of Computing 8
 * (2012): the squared distance transform is separable, so a 1-D transform (the lower envelope of
 * parabolas rooted at each sample) is run along i, then j, then k, in time linear in the voxels.
 */
export function squaredDistanceTransform(source: Uint8Array, shape: Vec3): Float64Array {
  const [nx, ny, nz] = shape;
  const d = new Float64Array(source.length);
  // Along i the input is 0 or infinite, so the 1-D transform is the squared distance to the
  // nearest source in the row: two sweeps instead of the parabola envelope.
  for (let row = 0; row < ny * nz; row++) {
    const base = row * nx;
    let last = -Infinity;
    for (let i = 0; i < nx; i++) {
      if (source[base + i] !== 0) last = i;
      d[base + i] = i - last;
    }
    last = Infinity;
    for (let i = nx - 1; i >= 0; i--) {
      if (source[base + i] !== 0) last = i;
      const near = Math.min(d[base + i]!, last - i);
      d[base + i] = near * near;
    }
  }
  const longest = Math.max(nx, ny, nz);
  const line = new Float64Array(longest);
  const out = new Float64Array(longest);
  const v = new Int32Array(longest);
  const z = new Float64Array(longest + 1);
  // One 1-D transform along each axis in turn; `lines` holds the first voxel of every line.
  const pass = (count: number, stride: number, lines: Int32Array): void => {
    for (const start of lines) {
      for (let q = 0, p = start; q < count; q++, p += stride) line[q] = d[p]!;
      transform1d(line, count, out, v, z);
      for (let q = 0, p = start; q < count; q++, p += stride) d[p] = out[q]!;
    }
  };
  pass(ny, nx, Int32Array.from({ length: nx * nz }, (_, r) => (r % nx) + Math.floor(r / nx) * nx * ny));
  pass(nz, nx * ny, Int32Array.from({ length: nx * ny }, (_, r) => r));
  return d;
}

/** The 1-D transform of f[0..n): out[q] = min_p (q - p)^2 + f[p] (F&H 2012, algorithm DT(f)). */
function transform1d(f: Float64Array, n: number, out: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = -1;
  for (let q = 0; q < n; q++) {
    const fq = f[q]!;
    if (fq === Infinity) continue;
    if (k < 0) {
      k = 0;
      v[0] = q;
      z[0] = -Infinity;
      z[1] = Infinity;
      continue;
    }
    let s = (fq + q * q - (f[v[k]!]! + v[k]! * v[k]!)) / (2 * (q - v[k]!));
    while (s <= z[k]!) {
      k--;
      s = (fq + q * q - (f[v[k]!]! + v[k]! * v[k]!)) / (2 * (q - v[k]!));
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  if (k < 0) {
    out.fill(Infinity, 0, n);
    return;
  }
  let j = 0;
  for (let q = 0; q < n; q++) {
    while (z[j + 1]! < q) j++;
    out[q] = (q - v[j]!) ** 2 + f[v[j]!]!;
  }
}
