import type { Rng } from '../util/random.js';
import type { Vec3 } from '../imaging/volume.js';

/**
 * Smooth random texture: unit-variance random values on a lattice (spacing `cellMm`) covering a box
 * of the anatomy frame, interpolated with smoothstep weights (value noise, Perlin 1985 family). The
 * interpolated field has SD below 1 (about 0.6); callers scale it. Outside the box the nearest
 * lattice values are used.
 */
export class ValueNoise {
  private constructor(
    private readonly values: Float32Array,
    private readonly n: readonly [number, number, number],
    private readonly origin: Vec3,
    private readonly cellMm: number,
  ) {}

  /**
   * Unit-variance values (uniform in [-sqrt 3, sqrt 3], one 32-bit draw each: the interpolation sums
   * eight of them, so the field is close to normal anyway) on a lattice of `cellMm` covering the
   * box at `origin` of size `extentMm`.
   */
  static random(rng: Rng, origin: Vec3, extentMm: Vec3, cellMm: number): ValueNoise {
    const count = (a: number): number => Math.max(2, Math.ceil(extentMm[a]! / cellMm) + 2);
    const n: [number, number, number] = [count(0), count(1), count(2)];
    const values = new Float32Array(n[0] * n[1] * n[2]);
    const k = (2 * Math.sqrt(3)) / 2 ** 32;
    for (let i = 0; i < values.length; i++) values[i] = rng.nextUint32() * k - Math.sqrt(3);
    return new ValueNoise(values, n, origin, cellMm);
  }

  /**
   * A field on this lattice equal to `weight` x this + `otherWeight` x other at the lattice nodes:
   * two octaves summed once, so that rendering interpolates one lattice instead of two.
   */
  plus(weight: number, other: ValueNoise, otherWeight: number): ValueNoise {
    const [nx, ny, nz] = this.n;
    const values = new Float32Array(this.values.length);
    let v = 0;
    for (let k = 0; k < nz; k++) {
      for (let j = 0; j < ny; j++) {
        for (let i = 0; i < nx; i++, v++) {
          const x = this.origin[0] + i * this.cellMm;
          const y = this.origin[1] + j * this.cellMm;
          const z = this.origin[2] + k * this.cellMm;
          values[v] = weight * this.values[v]! + otherWeight * other.at(x, y, z);
        }
      }
    }
    return new ValueNoise(values, this.n, this.origin, this.cellMm);
  }

  /** Field value at a point of the anatomy frame. */
  at(x: number, y: number, z: number): number {
    const [nx, ny, nz] = this.n;
    let fx = (x - this.origin[0]) / this.cellMm;
    let fy = (y - this.origin[1]) / this.cellMm;
    let fz = (z - this.origin[2]) / this.cellMm;
    fx = fx < 0 ? 0 : fx > nx - 1.001 ? nx - 1.001 : fx;
    fy = fy < 0 ? 0 : fy > ny - 1.001 ? ny - 1.001 : fy;
    fz = fz < 0 ? 0 : fz > nz - 1.001 ? nz - 1.001 : fz;
    const i = fx | 0;
    const j = fy | 0;
    const k = fz | 0;
    let tx = fx - i;
    let ty = fy - j;
    let tz = fz - k;
    tx = tx * tx * (3 - 2 * tx);
    ty = ty * ty * (3 - 2 * ty);
    tz = tz * tz * (3 - 2 * tz);
    const v = this.values;
    const b = i + nx * (j + ny * k);
    const sy = nx;
    const sz = nx * ny;
    const c00 = v[b]! + tx * (v[b + 1]! - v[b]!);
    const c10 = v[b + sy]! + tx * (v[b + sy + 1]! - v[b + sy]!);
    const c01 = v[b + sz]! + tx * (v[b + sz + 1]! - v[b + sz]!);
    const c11 = v[b + sy + sz]! + tx * (v[b + sy + sz + 1]! - v[b + sy + sz]!);
    const c0 = c00 + ty * (c10 - c00);
    const c1 = c01 + ty * (c11 - c01);
    return c0 + tz * (c1 - c0);
  }
}
