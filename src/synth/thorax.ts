import type { Rng } from '../util/random.js';
import type { Vec3 } from '../imaging/volume.js';

/**
 * A simplified chest in the subject's anatomy frame (LPS, mm; origin on the midline at the level of
 * the carina). The pleural cavity is an elliptic cylinder inside a body wall of muscle, ribs and
 * fat; each lung is the part of the cavity lateral to the mediastinum (wider and shifted to the
 * left where the heart is, below zHeart), below a domed apex and above a domed diaphragm. The
 * major fissure is a plane z + 0.5 y = fissureZ: the upper lobe lies above it.
 *
 * HU values: lung parenchyma about -860 (-850 in the brief; Hounsfield scale conventions), soft
 * tissue 35-55, fat -90, rib bone 250-850, air -1000.
 */
export interface Thorax {
  /** Semi-axes (x, y) of the pleural cavity's ellipse. */
  readonly cavityA: number;
  readonly cavityB: number;
  readonly wallMm: number;
  readonly fatMm: number;
  readonly mediastinumHalfMm: number;
  readonly heartExtraMm: number;
  readonly heartShiftMm: number;
  readonly zHeart: number;
  readonly apexZ: number;
  readonly diaphragmZ: number;
  readonly fissureZ: number;
  readonly ribPitchMm: number;
  readonly ribOffsetMm: number;
}

export function sampleThorax(rng: Rng): Thorax {
  return {
    cavityA: rng.range(125, 150),
    cavityB: rng.range(80, 100),
    wallMm: rng.range(18, 32),
    fatMm: rng.range(5, 14),
    mediastinumHalfMm: rng.range(24, 32),
    heartExtraMm: rng.range(25, 45),
    heartShiftMm: rng.range(8, 20),
    zHeart: rng.range(0, 20),
    apexZ: rng.range(100, 115),
    diaphragmZ: rng.range(-115, -100),
    fissureZ: rng.range(5, 20),
    ribPitchMm: rng.range(22, 28),
    ribOffsetMm: rng.range(0, 25),
  };
}

/** Signed distance to an ellipse (semi-axes a, b), first order: F / |grad F| with F = (x/a)^2 + (y/b)^2 - 1. */
export function ellipseSd(x: number, y: number, a: number, b: number): number {
  const f = (x * x) / (a * a) + (y * y) / (b * b) - 1;
  const gx = x / (a * a);
  const gy = y / (b * b);
  return f / (2 * Math.sqrt(gx * gx + gy * gy) + 1e-9);
}

function heartWeight(t: Thorax, z: number): number {
  return Math.min(1, Math.max(0, (t.zHeart - z) / 40));
}

/** Mediastinum constraint: positive inside the mediastinum (its half-width minus |x - centre|). */
export function mediastinumSd(t: Thorax, x: number, y: number, z: number): number {
  const h = heartWeight(t, z);
  const anterior = Math.min(1, Math.max(0, 0.3 - y / t.cavityB));
  return t.mediastinumHalfMm + h * t.heartExtraMm * anterior - Math.abs(x - h * t.heartShiftMm);
}

export function apexZ(t: Thorax, x: number, y: number): number {
  const lx = Math.abs(x) - 80;
  return t.apexZ - 0.004 * (lx * lx + y * y);
}

export function diaphragmZ(t: Thorax, x: number, y: number): number {
  const lx = Math.abs(x) - 70;
  return t.diaphragmZ + 0.003 * lx * lx - 0.15 * y + (x < 0 ? 10 : 0);
}

/** The lung's boundaries other than the costal pleura (mediastinum, apex, diaphragm), as in lungSd. */
export function innerWallsSd(t: Thorax, x: number, y: number, z: number): number {
  let sd = mediastinumSd(t, x, y, z);
  const top = z - apexZ(t, x, y);
  if (top > sd) sd = top;
  const bottom = diaphragmZ(t, x, y) - z;
  if (bottom > sd) sd = bottom;
  return sd;
}

/** Signed distance (approximate, mm) to the lung boundary: negative inside a lung. */
export function lungSd(t: Thorax, x: number, y: number, z: number): number {
  return Math.max(ellipseSd(x, y, t.cavityA, t.cavityB), innerWallsSd(t, x, y, z));
}

/** True where the point lies above the simplified major fissure (upper lobe). */
export function isUpperLobe(t: Thorax, q: Vec3): boolean {
  return q[2] + 0.5 * q[1] > t.fissureZ;
}

/** HU of a rib cross-section at this depth into the wall (0 where there is no rib). */
function ribHu(t: Thorax, y: number, z: number, depth: number): number {
  const phase = (((z - 0.35 * y + t.ribOffsetMm) % t.ribPitchMm) + t.ribPitchMm) % t.ribPitchMm;
  const u = (phase - t.ribPitchMm / 2) / 5;
  const v = (depth - 7) / 3.5;
  const r2 = u * u + v * v;
  if (r2 >= 1.2) return 0;
  const edge = Math.min(1, (1.2 - r2) / 0.4);
  return edge * (r2 > 0.55 ? 850 : 250);
}

/** HU of the tissue outside the lungs at this point: chest wall, mediastinum, diaphragm, or air. */
export function tissueHu(t: Thorax, x: number, y: number, z: number): number {
  const cavity = ellipseSd(x, y, t.cavityA, t.cavityB);
  const m = mediastinumSd(t, x, y, z);
  const top = z - apexZ(t, x, y);
  const bottom = diaphragmZ(t, x, y) - z;
  if (cavity >= m && cavity >= top && cavity >= bottom) {
    const skin = ellipseSd(x, y, t.cavityA + t.wallMm, t.cavityB + t.wallMm);
    if (skin > 0) return -1000;
    if (skin > -2) return 30;
    if (skin > -2 - t.fatMm) return -90;
    const rib = ribHu(t, y, z, cavity);
    return rib > 0 ? 45 + rib : 45;
  }
  if (bottom >= m && bottom >= top) return 55;
  return 38;
}

/** Lung parenchyma HU before texture: -860, denser towards the back (gravity, +0.3 HU/mm in y). */
export function lungBaseHu(y: number): number {
  return -860 + 0.3 * y;
}
