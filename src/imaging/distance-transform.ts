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
  for (let p = 0; p < source.length; p++) d[p] = source[p] !== 0 ? 0 : Infinity;
  const longest = Math.max(nx, ny, nz);
  const line = new Float64Array(longest);
  const out = new Float64Array(longest);
  const v = new Int32Array(longest);
  const z = new Float64Array(longest + 1);
  const pass = (count: number, stride: number, starts: Iterable<number>): void => {
    for (const start of starts) {
      for (let q = 0; q < count; q++) line[q] = d[start + q * stride]!;
      transform1d(line, count, out, v, z);
      for (let q = 0; q < count; q++) d[start + q * stride] = out[q]!;
    }
  };
  pass(nx, 1, range(ny * nz, (r) => r * nx));
  pass(ny, nx, range(nx * nz, (r) => (r % nx) + Math.floor(r / nx) * nx * ny));
  pass(nz, nx * ny, range(nx * ny, (r) => r));
  return d;
}

function* range(count: number, at: (r: number) => number): Generator<number> {
  for (let r = 0; r < count; r++) yield at(r);
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
