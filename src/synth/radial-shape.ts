import type { Rng } from '../util/random.js';
import type { Vec3 } from '../imaging/volume.js';
import type { ShapeClass } from './synth-config.js';
import { cross, normalize } from './rigid-pose.js';
import { randomUnit } from './sampling.js';

/**
 * A star-shaped solid of unit size: the boundary in direction u (unit) lies at radius
 *   rho(u) = E(u) * (1 + sum_i amp_i * exp(kappa_i * (u . d_i - 1)))
 * where E is an ellipsoid's radial function with semi-axes `scales` along `axes`
 * (E(u) = 1 / sqrt(sum_k (u . a_k / s_k)^2)) and each term is a von Mises-Fisher shaped lobe
 * around direction d_i. Smooth nodules have a mild ellipsoid, lobulated ones several lobes.
 */
export interface RadialShape {
  /** Orthonormal ellipsoid axes, flattened (a0x, a0y, a0z, a1x, ...). */
  readonly axes: readonly number[];
  readonly scales: Vec3;
  /** Lobes, flattened per lobe: dx, dy, dz, amp, kappa. */
  readonly lobes: readonly number[];
}

export const SPHERE: RadialShape = { axes: [1, 0, 0, 0, 1, 0, 0, 0, 1], scales: [1, 1, 1], lobes: [] };

/** Boundary radius in the unit direction (ux, uy, uz). */
export function radiusAt(s: RadialShape, ux: number, uy: number, uz: number): number {
  const a = s.axes;
  const p0 = (ux * a[0]! + uy * a[1]! + uz * a[2]!) / s.scales[0];
  const p1 = (ux * a[3]! + uy * a[4]! + uz * a[5]!) / s.scales[1];
  const p2 = (ux * a[6]! + uy * a[7]! + uz * a[8]!) / s.scales[2];
  let m = 1;
  const l = s.lobes;
  for (let i = 0; i < l.length; i += 5) {
    m += l[i + 3]! * Math.exp(l[i + 4]! * (ux * l[i]! + uy * l[i + 1]! + uz * l[i + 2]! - 1));
  }
  return m / Math.sqrt(p0 * p0 + p1 * p1 + p2 * p2);
}

/** Largest boundary radius over all directions (bounded from the parameters, not sampled). */
export function maxRadius(s: RadialShape): number {
  let m = 1;
  for (let i = 3; i < s.lobes.length; i += 5) m += s.lobes[i]!;
  return m * Math.max(...s.scales);
}

/**
 * Mean axial diameter of the shape (unit size) in the axial plane through its centre, as
 * radiologists measure it: (long axis + the perpendicular short axis) / 2 (Lung-RADS v2022, see
 * ../shared/docs/clinical-models.md). Sampled at 1 degree.
 */
export function meanAxialDiameter(s: RadialShape): number {
  const diameter = (deg: number): number => {
    const t = (deg * Math.PI) / 180;
    const c = Math.cos(t);
    const sn = Math.sin(t);
    return radiusAt(s, c, sn, 0) + radiusAt(s, -c, -sn, 0);
  };
  let longDeg = 0;
  let long = 0;
  for (let deg = 0; deg < 180; deg++) {
    const d = diameter(deg);
    if (d > long) {
      long = d;
      longDeg = deg;
    }
  }
  return (long + diameter(longDeg + 90)) / 2;
}

/** Volume of the shape at unit size: the integral of rho^3 / 3 over the sphere (Fibonacci grid). */
export function shapeVolume(s: RadialShape, samples = 4000): number {
  let sum = 0;
  const golden = Math.PI * (3 - Math.sqrt(5));
  for (let i = 0; i < samples; i++) {
    const z = 1 - (2 * (i + 0.5)) / samples;
    const r = Math.sqrt(1 - z * z);
    const phi = golden * i;
    sum += radiusAt(s, r * Math.cos(phi), r * Math.sin(phi), z) ** 3;
  }
  return ((4 * Math.PI) / samples) * (sum / 3);
}

/** A random orthonormal frame, flattened row by row. */
function randomFrame(rng: Rng): number[] {
  const a = randomUnit(rng);
  const helper: Vec3 = Math.abs(a[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
  const b = normalize(cross(a, helper));
  const c = cross(a, b);
  return [...a, ...b, ...c];
}

/**
 * Draws a unit shape of the class: smooth (ellipsoid within 8%, faint lobes), lobulated (ellipsoid
 * within 12%, 3-6 broad lobes of 12-30% amplitude) or spiculated (an irregular body of 6-10 sharp
 * lobes of 10-25%; the spicules themselves are separate, see nodule-model.ts).
 */
export function sampleRadialShape(rng: Rng, shape: ShapeClass): RadialShape {
  const spread = shape === 'smooth' ? 0.08 : 0.12;
  const scales: Vec3 = [1 + rng.range(-spread, spread), 1 + rng.range(-spread, spread), 1 + rng.range(-spread, spread)];
  const lobeCount = shape === 'smooth' ? rng.int(3) : shape === 'lobulated' ? 3 + rng.int(4) : 6 + rng.int(5);
  const ampRange: [number, number] = shape === 'smooth' ? [0.02, 0.06] : shape === 'lobulated' ? [0.12, 0.3] : [0.1, 0.25];
  const kappaRange: [number, number] = shape === 'spiculated' ? [8, 20] : [3, 8];
  const lobes: number[] = [];
  for (let i = 0; i < lobeCount; i++) {
    lobes.push(...randomUnit(rng), rng.range(ampRange[0], ampRange[1]), rng.range(kappaRange[0], kappaRange[1]));
  }
  return { axes: randomFrame(rng), scales, lobes };
}
