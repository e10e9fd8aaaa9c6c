import type { Rng } from '../util/random.js';
import type { Vec3 } from '../imaging/volume.js';
import type { Capsule } from './nodule-appearance.js';
import type { Thorax } from './thorax.js';
import { lungSd } from './thorax.js';
import { add, cross, normalize } from './rigid-pose.js';
import { randomUnit } from './sampling.js';

/** Vessel blood without contrast, HU. */
export const VESSEL_HU = 40;

const MIN_RADIUS_MM = 0.45;
const MAX_SEGMENTS_PER_TREE = 2500;

interface Sprout {
  readonly start: Vec3;
  readonly dir: Vec3;
  readonly radius: number;
}

/** `v` rotated by `angle` (radians) towards a direction perpendicular to it, chosen by `side`. */
function deflect(v: Vec3, side: Vec3, angle: number): Vec3 {
  const perp = normalize(cross(v, cross(side, v)));
  return normalize(add([v[0] * Math.cos(angle), v[1] * Math.cos(angle), v[2] * Math.cos(angle)], perp, Math.sin(angle)));
}

/** Last point of the segment a->b that is at least 1 mm inside the lung (bisection), or null at once. */
function clipToLung(t: Thorax, a: Vec3, b: Vec3): Vec3 | null {
  if (lungSd(t, b[0], b[1], b[2]) < -1) return b;
  let lo = 0;
  let hi = 1;
  for (let it = 0; it < 20; it++) {
    const mid = (lo + hi) / 2;
    const p = add(a, [b[0] - a[0], b[1] - a[1], b[2] - a[2]], mid);
    if (lungSd(t, p[0], p[1], p[2]) < -1) lo = mid;
    else hi = mid;
  }
  return lo < 0.05 ? null : add(a, [b[0] - a[0], b[1] - a[1], b[2] - a[2]], lo);
}

/**
 * One vascular tree grown from the hilum: each segment is a capsule of length 7 r^0.6 (mm), and at
 * its end it splits into two children whose radii obey Murray's law, r^3 = r1^3 + r2^3 (Murray,
 * PNAS 1926), the larger child deviating 10-30 degrees and the smaller 30-60 degrees, both pulled
 * outwards from the hilum. Branches stop at the pleura (clipped 1 mm inside) or below 0.45 mm.
 */
function growTree(rng: Rng, t: Thorax, hilum: Vec3, roots: readonly Sprout[]): Capsule[] {
  const out: Capsule[] = [];
  const queue: Sprout[] = [...roots];
  for (let head = 0; head < queue.length && out.length < MAX_SEGMENTS_PER_TREE; head++) {
    const s = queue[head]!;
    const length = 7 * s.radius ** 0.6 * rng.range(0.8, 1.25);
    const target = add(s.start, s.dir, length);
    const end = clipToLung(t, s.start, target);
    if (end === null) continue;
    out.push({ a: s.start, b: end, r0: s.radius, r1: s.radius });
    if (end !== target || s.radius < MIN_RADIUS_MM) continue;
    const share = rng.range(0.5, 0.8);
    const r1 = Math.min(0.92 * s.radius, s.radius * Math.cbrt(share));
    const r2 = s.radius * Math.cbrt(1 - share);
    const outward = normalize([end[0] - hilum[0], end[1] - hilum[1], end[2] - hilum[2]]);
    const side = randomUnit(rng);
    const pull = (d: Vec3): Vec3 => normalize(add(d, outward, 0.3));
    const d1 = pull(deflect(s.dir, side, (rng.range(10, 30) * Math.PI) / 180));
    const d2 = pull(deflect(s.dir, [-side[0], -side[1], -side[2]], (rng.range(30, 60) * Math.PI) / 180));
    if (r1 >= MIN_RADIUS_MM) queue.push({ start: end, dir: d1, radius: r1 });
    if (r2 >= MIN_RADIUS_MM) queue.push({ start: end, dir: d2, radius: r2 });
  }
  return out;
}

/**
 * Pulmonary arteries and veins of both lungs: per lung an arterial tree from the hilum and a venous
 * tree from a point 15 mm lower, each with trunks towards the apex, the lateral wall, the base and
 * the back. About ten thousand capsules in all; the renderer keeps those in a scan's field of view.
 * `sides` (-1 right, +1 left) limits the lungs grown to those the scans can see.
 */
export function sampleVesselTrees(rng: Rng, t: Thorax, sides: readonly (-1 | 1)[] = [-1, 1]): Capsule[] {
  const all: Capsule[] = [];
  for (const side of [-1, 1] as const) {
    // Each lung's trees come from their own stream, so leaving one lung out changes nothing in the other.
    const lungRng = rng.fork(side);
    if (!sides.includes(side)) continue;
    for (const dz of [0, -15]) {
      const hilum: Vec3 = [side * (t.mediastinumHalfMm + 10), 5, 5 + dz];
      const dirs: Vec3[] = [
        [side * 0.5, 0, 1],
        [side, -0.2, 0.1],
        [side * 0.4, 0.2, -1],
        [side * 0.5, 1, -0.2],
        [side * 0.5, -1, 0],
      ];
      const roots = dirs.map((d) => ({ start: hilum, dir: normalize(add(normalize(d), randomUnit(lungRng), 0.2)), radius: lungRng.range(3.5, 5) }));
      all.push(...growTree(lungRng, t, hilum, roots));
    }
  }
  return all;
}

/**
 * A vessel that grazes the nodule: a straight segment of radius 0.8-1.8 mm whose axis passes at
 * (nodule radius + 0.3 vessel radius) from the centre, 25 mm to either side, clipped to the lung.
 */
export function grazingVessel(rng: Rng, t: Thorax, centre: Vec3, noduleRadiusMm: number): Capsule {
  const r = rng.range(0.8, 1.8);
  const n = randomUnit(rng);
  const along = normalize(cross(n, randomUnit(rng)));
  const axis = add(centre, n, noduleRadiusMm + 0.3 * r);
  const half = 25;
  const a0 = add(axis, along, -half);
  const b0 = add(axis, along, half);
  const a = clipToLung(t, axis, a0) ?? axis;
  const b = clipToLung(t, axis, b0) ?? axis;
  return { a, b, r0: r, r1: r * 0.8 };
}

/** Distance from p to segment a-b, with the segment parameter of the closest point. */
export function segmentDistance(a: Vec3, b: Vec3, p: Vec3): { d: number; s: number } {
  const abx = b[0] - a[0];
  const aby = b[1] - a[1];
  const abz = b[2] - a[2];
  const len2 = abx * abx + aby * aby + abz * abz;
  let s = len2 > 0 ? ((p[0] - a[0]) * abx + (p[1] - a[1]) * aby + (p[2] - a[2]) * abz) / len2 : 0;
  s = Math.min(1, Math.max(0, s));
  return { d: Math.hypot(p[0] - a[0] - s * abx, p[1] - a[1] - s * aby, p[2] - a[2] - s * abz), s };
}
