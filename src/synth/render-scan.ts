import type { Vec3 } from '../imaging/volume.js';
import type { Capsule, NoduleAppearance } from './nodule-appearance.js';
import type { ScanGeometry } from './scan-geometry.js';
import type { Thorax } from './thorax.js';
import { lungBaseHu, lungSd, tissueHu } from './thorax.js';
import type { ValueNoise } from './value-noise.js';
import { VESSEL_HU } from './vessel-tree.js';
import { capsuleSd, intersectSd, placedReach, radialSd, unionSd } from './solids.js';
import { compositeCapsule } from './capsule-raster.js';
import { anatomyToWorld } from './rigid-pose.js';
import type { SdFn, VoxelFrame } from './voxel-frame.js';
import { coverage, indexRange, subsampledCoverage, voxelFrame } from './voxel-frame.js';

/** A subject's anatomy, shared by all of its scans (anatomy frame). */
export interface Scene {
  readonly thorax: Thorax;
  readonly emphysema: boolean;
  /** Lung texture in HU (SD about 20 HU; octaves at 4 mm and 2 mm). */
  readonly texture: ValueNoise;
  /** A smooth field whose high values become emphysema (low-attenuation areas). */
  readonly emphysemaField: ValueNoise;
  readonly vessels: readonly Capsule[];
}

/** Lung parenchyma HU: base with gravity gradient, two octaves of texture, emphysema holes. */
function lungHu(s: Scene, x: number, y: number, z: number): number {
  let hu = lungBaseHu(y) + s.texture.at(x, y, z);
  if (s.emphysema) {
    const e = s.emphysemaField.at(x, y, z);
    if (e > 0.5) hu += Math.min(1, (e - 0.5) / 0.15) * (-965 - hu);
  }
  return hu;
}

/**
 * Lung HU along one image row into `row`: evaluated at every other voxel and linearly interpolated
 * between (the texture varies over 2 mm and more, the voxels are 0.6-0.9 mm apart).
 */
function lungRow(s: Scene, f: VoxelFrame, x0: number, y0: number, z0: number, row: Float32Array): void {
  const n = row.length;
  for (let i = 0; i < n; i += 2) row[i] = lungHu(s, x0 + i * f.ex[0], y0 + i * f.ex[1], z0 + i * f.ex[2]);
  for (let i = 1; i < n; i += 2) {
    row[i] = i + 1 < n ? (row[i - 1]! + row[i + 1]!) / 2 : lungHu(s, x0 + i * f.ex[0], y0 + i * f.ex[1], z0 + i * f.ex[2]);
  }
}

/**
 * Lung, chest wall, mediastinum and diaphragm, with sub-sampled partial volume at the pleura.
 * Along a row, a voxel whose centre is deep inside the lung vouches for its neighbours: the signed
 * distance changes by at most twice the step per voxel (the first-order ellipse distance is not
 * exactly 1-Lipschitz, hence the factor), so the boundary test is skipped until it could matter.
 */
function renderBackground(s: Scene, g: ScanGeometry, f: VoxelFrame, out: Float32Array): void {
  const [nx, ny, nz] = g.shape;
  const t = s.thorax;
  const lung: SdFn = (x, y, z) => lungSd(t, x, y, z);
  const step = 2 * Math.hypot(f.ex[0], f.ex[1], f.ex[2]);
  const row = new Float32Array(nx);
  let v = 0;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      let x = f.q000[0] + j * f.ey[0] + k * f.ez[0];
      let y = f.q000[1] + j * f.ey[1] + k * f.ez[1];
      let z = f.q000[2] + j * f.ey[2] + k * f.ez[2];
      lungRow(s, f, x, y, z, row);
      let safe = 0;
      for (let i = 0; i < nx; i++, v++) {
        if (safe > 0) {
          safe--;
          out[v] = row[i]!;
        } else {
          const sd = lungSd(t, x, y, z);
          if (sd < -f.margin) {
            out[v] = row[i]!;
            safe = Math.floor((-sd - f.margin) / step);
          } else if (sd > f.margin) out[v] = tissueHu(t, x, y, z);
          else {
            const a = subsampledCoverage(lung, f, x, y, z);
            out[v] = a * row[i]! + (1 - a) * tissueHu(t, x, y, z);
          }
        }
        x += f.ex[0];
        y += f.ex[1];
        z += f.ex[2];
      }
    }
  }
}

/**
 * Visits the voxels whose centres may lie in the anatomy-frame box [lo, hi] (the world box around
 * its rotated corners), passing each voxel's index and anatomy position.
 */
function forVoxelsNear(g: ScanGeometry, f: VoxelFrame, lo: Vec3, hi: Vec3, visit: (v: number, x: number, y: number, z: number) => void): void {
  const corners: Vec3[] = [];
  for (let m = 0; m < 8; m++) corners.push(anatomyToWorld(g.pose, [m & 1 ? hi[0] : lo[0], m & 2 ? hi[1] : lo[1], m & 4 ? hi[2] : lo[2]]));
  const range = (a: 0 | 1 | 2): [number, number] =>
    indexRange(g.origin[a], g.spacing[a], g.shape[a], Math.min(...corners.map((c) => c[a])), Math.max(...corners.map((c) => c[a])));
  const [i0, i1] = range(0);
  const [j0, j1] = range(1);
  const [k0, k1] = range(2);
  const [nx, ny] = g.shape;
  for (let k = k0; k <= k1; k++) {
    for (let j = j0; j <= j1; j++) {
      for (let i = i0; i <= i1; i++) {
        visit(
          i + nx * (j + ny * k),
          f.q000[0] + i * f.ex[0] + j * f.ey[0] + k * f.ez[0],
          f.q000[1] + i * f.ex[1] + j * f.ey[1] + k * f.ez[1],
          f.q000[2] + i * f.ex[2] + j * f.ey[2] + k * f.ez[2],
        );
      }
    }
  }
}

function capsuleBox(c: Capsule): [Vec3, Vec3] {
  const r = Math.max(c.r0, c.r1);
  return [
    [Math.min(c.a[0], c.b[0]) - r, Math.min(c.a[1], c.b[1]) - r, Math.min(c.a[2], c.b[2]) - r],
    [Math.max(c.a[0], c.b[0]) + r, Math.max(c.a[1], c.b[1]) + r, Math.max(c.a[2], c.b[2]) + r],
  ];
}

/** Vessels composited over the background, those whose boxes meet the field of view. */
function renderVessels(s: Scene, g: ScanGeometry, f: VoxelFrame, out: Float32Array, fov: [Vec3, Vec3]): void {
  for (const c of s.vessels) {
    const [lo, hi] = capsuleBox(c);
    if (lo[0] > fov[1][0] || lo[1] > fov[1][1] || lo[2] > fov[1][2] || hi[0] < fov[0][0] || hi[1] < fov[0][1] || hi[2] < fov[0][2]) continue;
    compositeCapsule(c, VESSEL_HU, g, f, out);
  }
}

/**
 * The nodule: body, spicules, then inner parts clipped to the body. Body and spicules raise the
 * background to their HU but never lower it, so ground glass lets denser vessels show through and a
 * juxtapleural nodule leaves the chest wall (denser or equal) as it is; inner parts replace.
 */
function renderNodule(n: NoduleAppearance, g: ScanGeometry, f: VoxelFrame, out: Float32Array): void {
  const body = radialSd(n.body);
  const reach = placedReach(n.body);
  const c = n.body.centre;
  let lo: Vec3 = [c[0] - reach, c[1] - reach, c[2] - reach];
  let hi: Vec3 = [c[0] + reach, c[1] + reach, c[2] + reach];
  for (const sp of n.spicules) {
    const [a, b] = capsuleBox(sp);
    lo = [Math.min(lo[0], a[0]), Math.min(lo[1], a[1]), Math.min(lo[2], a[2])];
    hi = [Math.max(hi[0], b[0]), Math.max(hi[1], b[1]), Math.max(hi[2], b[2])];
  }
  const spicules = n.spicules.length > 0 ? unionSd(n.spicules.map(capsuleSd)) : null;
  const inner = n.inner.map((p) => ({ sd: intersectSd(radialSd(p), body), hu: p.hu }));
  forVoxelsNear(g, f, lo, hi, (v, x, y, z) => {
    let hu = out[v]!;
    const a = coverage(body, f, x, y, z);
    if (a > 0) hu += a * (Math.max(hu, n.body.hu) - hu);
    if (spicules) {
      const b = coverage(spicules, f, x, y, z);
      if (b > 0) hu += b * (Math.max(hu, n.spiculeHu) - hu);
    }
    if (a > 0) {
      for (const p of inner) {
        const ci = coverage(p.sd, f, x, y, z);
        if (ci > 0) hu += ci * (p.hu - hu);
      }
    }
    out[v] = hu;
  });
}

/** Axis-aligned box of the scan's field of view in the anatomy frame. */
function fovInAnatomy(g: ScanGeometry, f: VoxelFrame): [Vec3, Vec3] {
  const box = (m: number, a: number): number => f.q000[a]! + (m & 1 ? g.shape[0] - 1 : 0) * f.ex[a]! + (m & 2 ? g.shape[1] - 1 : 0) * f.ey[a]! + (m & 4 ? g.shape[2] - 1 : 0) * f.ez[a]!;
  const l = [Infinity, Infinity, Infinity];
  const h = [-Infinity, -Infinity, -Infinity];
  for (let m = 0; m < 8; m++) {
    for (let a = 0; a < 3; a++) {
      l[a] = Math.min(l[a]!, box(m, a));
      h[a] = Math.max(h[a]!, box(m, a));
    }
  }
  return [
    [l[0]!, l[1]!, l[2]!],
    [h[0]!, h[1]!, h[2]!],
  ];
}

/** Sub-sample spacing (mm) at partial-volume edges: fine at the nodule, coarser for the anatomy. */
export interface Subsampling {
  readonly noduleMm: number;
  readonly anatomyMm: number;
}

/**
 * The noiseless HU image of one scan: background, vessels, nodule, each with sub-sampled partial
 * volume. Voxel (i, j, k) is element i + nx (j + ny k), world position origin + spacing .* (i, j, k).
 * Written into `out` when given (every element is set), so a caller can reuse one buffer.
 */
export function renderScan(
  s: Scene,
  n: NoduleAppearance,
  g: ScanGeometry,
  sub: Subsampling,
  out: Float32Array = new Float32Array(g.shape[0] * g.shape[1] * g.shape[2]),
): Float32Array {
  if (out.length !== g.shape[0] * g.shape[1] * g.shape[2]) throw new RangeError(`renderScan: out has ${out.length} values, shape ${g.shape.join('x')}`);
  const coarse = voxelFrame(g, sub.anatomyMm, 1.5);
  renderBackground(s, g, coarse, out);
  renderVessels(s, g, voxelFrame(g, sub.anatomyMm, 1), out, fovInAnatomy(g, coarse));
  renderNodule(n, g, voxelFrame(g, sub.noduleMm, 1.5), out);
  return out;
}
