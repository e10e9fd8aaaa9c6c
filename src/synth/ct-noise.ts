import { Rng } from '../util/random.js';
import type { Vec3 } from '../imaging/volume.js';

/** Noise planes are TILE x TILE, periodic; PLANES of them are drawn once per process. */
const TILE = 512;
const PLANES = 8;

/** Weights of the white and the smoothed part, chosen so that the sum has unit variance (see below). */
const WHITE = 0.3;
const SMOOTH = 0.775 / 0.375;

let tiles: Float32Array | null = null;

/**
 * PLANES periodic planes of unit-variance CT-like noise from a fixed seed: 0.3 w + 0.775 s / 0.375,
 * where w is white standard normal noise and s is w filtered by the 3x3 binomial kernel
 * [1 2 1]^T [1 2 1] / 16 with wrap-around (SD 0.375, correlation with w 0.667), so the variance is
 * 0.09 + 0.6006 + 2 (0.3)(0.775)(0.667) = 1.0 and neighbouring pixels are correlated in-plane as
 * the reconstruction kernel makes them.
 */
function noiseTiles(): Float32Array {
  if (tiles !== null) return tiles;
  const rng = new Rng(0x5eed);
  const plane = TILE * TILE;
  const out = new Float32Array(PLANES * plane);
  const w = new Float32Array(plane);
  const h = new Float32Array(plane);
  const wrap = (i: number): number => (i + TILE) % TILE;
  for (let p = 0; p < PLANES; p++) {
    for (let i = 0; i < plane; i++) w[i] = rng.normal();
    for (let j = 0; j < TILE; j++) {
      for (let i = 0; i < TILE; i++) h[j * TILE + i] = w[j * TILE + wrap(i - 1)]! + 2 * w[j * TILE + i]! + w[j * TILE + wrap(i + 1)]!;
    }
    for (let j = 0; j < TILE; j++) {
      for (let i = 0; i < TILE; i++) {
        const s = (h[wrap(j - 1) * TILE + i]! + 2 * h[j * TILE + i]! + h[wrap(j + 1) * TILE + i]!) / 16;
        out[p * plane + j * TILE + i] = WHITE * w[j * TILE + i]! + SMOOTH * s;
      }
    }
  }
  tiles = out;
  return out;
}

/**
 * Adds low-dose CT noise of standard deviation `sd` (HU) and rounds to int16 HU in [-1024, 3071].
 *
 * Each slice reads one of the precomputed periodic noise planes (noiseTiles) from a random offset,
 * mirrored or not, both drawn from `seed`: slices and scans get unrelated noise at the cost of a
 * lookup per voxel, and the noise is the same on every machine. Slices are independent, as in
 * axial CT. Written into `out` when given, so a caller can reuse one buffer.
 */
export function addCtNoise(hu: Float32Array, shape: Vec3, sd: number, seed: number, out: Int16Array = new Int16Array(hu.length)): Int16Array {
  const [nx, ny, nz] = shape;
  if (hu.length !== nx * ny * nz || out.length !== hu.length) throw new RangeError(`addCtNoise: ${hu.length} and ${out.length} values for shape ${shape.join('x')}`);
  const t = noiseTiles();
  const rng = new Rng(seed);
  const mask = TILE - 1;
  for (let k = 0; k < nz; k++) {
    const base = rng.int(PLANES) * TILE * TILE;
    const ox = rng.int(TILE);
    const oy = rng.int(TILE);
    const flip = rng.bernoulli(0.5);
    for (let j = 0; j < ny; j++) {
      const rowStart = base + ((j + oy) & mask) * TILE;
      const v0 = (k * ny + j) * nx;
      for (let i = 0; i < nx; i++) {
        const c = flip ? (ox - i) & mask : (ox + i) & mask;
        const value = hu[v0 + i]! + sd * t[rowStart + c]!;
        out[v0 + i] = value < -1024 ? -1024 : value > 3071 ? 3071 : Math.round(value);
      }
    }
  }
  return out;
}
