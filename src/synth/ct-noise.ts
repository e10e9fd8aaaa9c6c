import { Rng } from '../util/random.js';
import type { Vec3 } from '../imaging/volume.js';

const TABLE_SIZE = 1 << 16;
let normalTable: Float32Array | null = null;

/** 65536 standard normal values from a fixed seed, drawn once per process. */
function normals(): Float32Array {
  if (normalTable === null) {
    const rng = new Rng(0x5eed);
    normalTable = new Float32Array(TABLE_SIZE);
    for (let i = 0; i < TABLE_SIZE; i++) normalTable[i] = rng.normal();
  }
  return normalTable;
}

/** Weights of the white and the smoothed part, chosen so that the sum has unit variance (see below). */
const WHITE = 0.3;
const SMOOTH = 0.775 / 0.375;

/**
 * Adds low-dose CT noise of standard deviation `sd` (HU) and rounds to int16 HU in [-1024, 3071].
 *
 * CT noise is spatially correlated in-plane (the reconstruction kernel), so the noise is
 * 0.3 w + 0.775 s / 0.375, where w is white standard normal noise and s is w filtered by the 3x3
 * binomial kernel [1 2 1]^T [1 2 1] / 16 (SD 0.375; correlation with w 0.667), giving
 * variance 0.09 + 0.6006 + 2 (0.3)(0.775)(0.667) = 1.0. Normal values come from a fixed table
 * indexed by a seeded xorshift32 stream, which is fast and the same on every machine.
 */
export function addCtNoise(hu: Float32Array, shape: Vec3, sd: number, seed: number): Int16Array {
  const [nx, ny, nz] = shape;
  const table = normals();
  let state = (new Rng(seed).nextUint32() | 1) >>> 0;
  const plane = nx * ny;
  const w = new Float32Array(plane);
  const h = new Float32Array(plane);
  const out = new Int16Array(hu.length);
  for (let k = 0; k < nz; k++) {
    for (let p = 0; p < plane; p++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      w[p] = table[state >>> 16]!;
    }
    // Separable binomial filter: rows first (mirrored at the edges), then columns.
    for (let j = 0; j < ny; j++) {
      const r = nx * j;
      for (let i = 0; i < nx; i++) {
        const im = i > 0 ? i - 1 : i + 1;
        const ip = i < nx - 1 ? i + 1 : i - 1;
        h[r + i] = w[r + im]! + 2 * w[r + i]! + w[r + ip]!;
      }
    }
    for (let j = 0; j < ny; j++) {
      const a = nx * (j > 0 ? j - 1 : j + 1);
      const b = nx * j;
      const c = nx * (j < ny - 1 ? j + 1 : j - 1);
      const base = k * plane + b;
      for (let i = 0; i < nx; i++) {
        const smooth = (h[a + i]! + 2 * h[b + i]! + h[c + i]!) / 16;
        const value = hu[base + i]! + sd * (WHITE * w[b + i]! + SMOOTH * smooth);
        out[base + i] = value < -1024 ? -1024 : value > 3071 ? 3071 : Math.round(value);
      }
    }
  }
  return out;
}
