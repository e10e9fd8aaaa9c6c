import { AIR_HU } from './hu.js';
import type { Vec3, Volume } from './volume.js';

/** A regular sampling grid in world space (the geometry part of a Volume). */
export type Grid = Pick<Volume, 'shape' | 'spacing' | 'origin' | 'direction'>;

/**
 * Samples `volume` at the voxel centres of `grid` by trilinear interpolation (i fastest, as Volume
 * data). Each of the 8 neighbours that lies outside the volume counts as `fill` (air by default), so
 * out-of-volume parts of the grid read as air and the edge fades over one voxel instead of jumping.
 *
 * Both index spaces are affine images of world space, so the source index of grid voxel (a, b, c)
 * is M [a, b, c] + t with M = S_v^-1 D_v^T D_g S_g and t = S_v^-1 D_v^T (o_g - o_v) (directions
 * orthonormal); the loops step along M's columns instead of transforming every point.
 *
 * The interpolation is written out here and again in gridPointSampler on purpose: sharing it as a
 * closure or a plain function measured 1.5-3x slower per 64x64x16 patch (V8 did not inline it;
 * 2026-11-28, same results to the bit). Change both together.
 */
export function sampleGrid(volume: Volume, grid: Grid, fill: number = AIR_HU): Float32Array {
  const [gx, gy, gz] = grid.shape;
  const out = new Float32Array(gx * gy * gz);
  const { m, t } = indexMap(volume, grid);
  const [nx, ny, nz] = volume.shape;
  const data = volume.data;
  const plane = nx * ny;
  const at = (i: number, j: number, k: number): number =>
    i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz ? fill : data[i + nx * j + plane * k]!;
  let n = 0;
  for (let c = 0; c < gz; c++) {
    for (let b = 0; b < gy; b++) {
      let x = t[0]! + m[1]! * b + m[2]! * c;
      let y = t[1]! + m[4]! * b + m[5]! * c;
      let z = t[2]! + m[7]! * b + m[8]! * c;
      for (let a = 0; a < gx; a++, n++, x += m[0]!, y += m[3]!, z += m[6]!) {
        const i0 = Math.floor(x);
        const j0 = Math.floor(y);
        const k0 = Math.floor(z);
        const fx = x - i0;
        const fy = y - j0;
        const fz = z - k0;
        if (i0 >= 0 && j0 >= 0 && k0 >= 0 && i0 + 1 < nx && j0 + 1 < ny && k0 + 1 < nz) {
          const p = i0 + nx * j0 + plane * k0;
          const c00 = data[p]! + fx * (data[p + 1]! - data[p]!);
          const c10 = data[p + nx]! + fx * (data[p + nx + 1]! - data[p + nx]!);
          const c01 = data[p + plane]! + fx * (data[p + plane + 1]! - data[p + plane]!);
          const c11 = data[p + plane + nx]! + fx * (data[p + plane + nx + 1]! - data[p + plane + nx]!);
          const c0 = c00 + fy * (c10 - c00);
          out[n] = c0 + fz * (c01 + fy * (c11 - c01) - c0);
        } else if (x <= -1 || y <= -1 || z <= -1 || x >= nx || y >= ny || z >= nz) {
          out[n] = fill;
        } else {
          const c00 = at(i0, j0, k0) + fx * (at(i0 + 1, j0, k0) - at(i0, j0, k0));
          const c10 = at(i0, j0 + 1, k0) + fx * (at(i0 + 1, j0 + 1, k0) - at(i0, j0 + 1, k0));
          const c01 = at(i0, j0, k0 + 1) + fx * (at(i0 + 1, j0, k0 + 1) - at(i0, j0, k0 + 1));
          const c11 = at(i0, j0 + 1, k0 + 1) + fx * (at(i0 + 1, j0 + 1, k0 + 1) - at(i0, j0 + 1, k0 + 1));
          const c0 = c00 + fy * (c10 - c00);
          out[n] = c0 + fz * (c01 + fy * (c11 - c01) - c0);
        }
      }
    }
  }
  return out;
}

/**
 * Trilinear samples of `volume` at single, possibly fractional, index positions (a, b, c) of
 * `grid`: the same interpolation and out-of-volume `fill` as sampleGrid, for callers that need a
 * few scattered points rather than the whole grid (lazy region growing, masked fine grids).
 */
export function gridPointSampler(volume: Volume, grid: Grid, fill: number = AIR_HU): (a: number, b: number, c: number) => number {
  const { m, t } = indexMap(volume, grid);
  const [nx, ny, nz] = volume.shape;
  const data = volume.data;
  const plane = nx * ny;
  const at = (i: number, j: number, k: number): number =>
    i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz ? fill : data[i + nx * j + plane * k]!;
  return (a, b, c) => {
    const x = t[0]! + m[0]! * a + m[1]! * b + m[2]! * c;
    const y = t[1]! + m[3]! * a + m[4]! * b + m[5]! * c;
    const z = t[2]! + m[6]! * a + m[7]! * b + m[8]! * c;
    const i0 = Math.floor(x);
    const j0 = Math.floor(y);
    const k0 = Math.floor(z);
    const fx = x - i0;
    const fy = y - j0;
    const fz = z - k0;
    if (i0 >= 0 && j0 >= 0 && k0 >= 0 && i0 + 1 < nx && j0 + 1 < ny && k0 + 1 < nz) {
      const p = i0 + nx * j0 + plane * k0;
      const c00 = data[p]! + fx * (data[p + 1]! - data[p]!);
      const c10 = data[p + nx]! + fx * (data[p + nx + 1]! - data[p + nx]!);
      const c01 = data[p + plane]! + fx * (data[p + plane + 1]! - data[p + plane]!);
      const c11 = data[p + plane + nx]! + fx * (data[p + plane + nx + 1]! - data[p + plane + nx]!);
      const c0 = c00 + fy * (c10 - c00);
      return c0 + fz * (c01 + fy * (c11 - c01) - c0);
    }
    if (x <= -1 || y <= -1 || z <= -1 || x >= nx || y >= ny || z >= nz) return fill;
    const c00 = at(i0, j0, k0) + fx * (at(i0 + 1, j0, k0) - at(i0, j0, k0));
    const c10 = at(i0, j0 + 1, k0) + fx * (at(i0 + 1, j0 + 1, k0) - at(i0, j0 + 1, k0));
    const c01 = at(i0, j0, k0 + 1) + fx * (at(i0 + 1, j0, k0 + 1) - at(i0, j0, k0 + 1));
    const c11 = at(i0, j0 + 1, k0 + 1) + fx * (at(i0 + 1, j0 + 1, k0 + 1) - at(i0, j0 + 1, k0 + 1));
    const c0 = c00 + fy * (c10 - c00);
    return c0 + fz * (c01 + fy * (c11 - c01) - c0);
  };
}

/** M and t of sampleGrid's docstring: source index = M [a, b, c] + t (M row-major). */
function indexMap(volume: Volume, grid: Grid): { m: number[]; t: number[] } {
  const m = new Array<number>(9);
  const t = new Array<number>(3);
  const dv = volume.direction;
  const dg = grid.direction;
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      // (D_v^T D_g)[r][c] = sum_w D_v[w][r] D_g[w][c]
      let s = 0;
      for (let w = 0; w < 3; w++) s += dv[3 * w + r]! * dg[3 * w + c]!;
      m[3 * r + c] = (s * grid.spacing[c]!) / volume.spacing[r]!;
    }
    let s = 0;
    for (let w = 0; w < 3; w++) s += dv[3 * w + r]! * (grid.origin[w]! - volume.origin[w]!);
    t[r] = s / volume.spacing[r]!;
  }
  return { m, t };
}

/** The axis-aligned (LPS) grid of `shape` voxels of `spacing` mm whose geometric centre is `centre`. */
export function centredGrid(centre: Vec3, shape: Vec3, spacing: Vec3): Grid {
  return {
    shape,
    spacing,
    origin: [
      centre[0] - ((shape[0] - 1) / 2) * spacing[0],
      centre[1] - ((shape[1] - 1) / 2) * spacing[1],
      centre[2] - ((shape[2] - 1) / 2) * spacing[2],
    ],
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
  };
}
