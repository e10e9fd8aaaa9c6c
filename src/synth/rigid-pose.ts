import type { Vec3 } from '../imaging/volume.js';

/**
 * Where the patient lies in one scan: world = R * q + t, with q a point of the subject's anatomy
 * frame (LPS, mm, fixed for all time points) and world the scanner's patient coordinates of that
 * scan. R is a row-major 3x3 rotation.
 */
export interface Pose {
  readonly rotation: readonly number[];
  readonly translation: Vec3;
}

/** Rotation about x, then y, then z (degrees): R = Rz * Ry * Rx. */
export function rotationFromEulerDeg(rx: number, ry: number, rz: number): number[] {
  const [a, b, c] = [rx, ry, rz].map((d) => (d * Math.PI) / 180) as [number, number, number];
  const [ca, sa, cb, sb, cc, sc] = [Math.cos(a), Math.sin(a), Math.cos(b), Math.sin(b), Math.cos(c), Math.sin(c)];
  return [
    cc * cb, cc * sb * sa - sc * ca, cc * sb * ca + sc * sa,
    sc * cb, sc * sb * sa + cc * ca, sc * sb * ca - cc * sa,
    -sb, cb * sa, cb * ca,
  ];
}

export function anatomyToWorld(p: Pose, q: Vec3): Vec3 {
  const r = p.rotation;
  return [
    r[0]! * q[0] + r[1]! * q[1] + r[2]! * q[2] + p.translation[0],
    r[3]! * q[0] + r[4]! * q[1] + r[5]! * q[2] + p.translation[1],
    r[6]! * q[0] + r[7]! * q[1] + r[8]! * q[2] + p.translation[2],
  ];
}

export function worldToAnatomy(p: Pose, w: Vec3): Vec3 {
  const r = p.rotation;
  const x = w[0] - p.translation[0];
  const y = w[1] - p.translation[1];
  const z = w[2] - p.translation[2];
  return [r[0]! * x + r[3]! * y + r[6]! * z, r[1]! * x + r[4]! * y + r[7]! * z, r[2]! * x + r[5]! * y + r[8]! * z];
}

export function norm(v: Vec3): number {
  return Math.hypot(v[0], v[1], v[2]);
}

export function normalize(v: Vec3): Vec3 {
  const n = norm(v);
  return [v[0] / n, v[1] / n, v[2] / n];
}

export function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

export function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

export function add(a: Vec3, b: Vec3, scale = 1): Vec3 {
  return [a[0] + scale * b[0], a[1] + scale * b[1], a[2] + scale * b[2]];
}
