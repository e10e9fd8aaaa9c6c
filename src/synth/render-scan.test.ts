import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../util/random.js';
import type { Vec3 } from '../imaging/volume.js';
import { renderScan } from './render-scan.js';
import type { Scene } from './render-scan.js';
import type { NoduleAppearance } from './nodule-appearance.js';
import type { ScanGeometry } from './scan-geometry.js';
import { anatomyToWorld, rotationFromEulerDeg } from './rigid-pose.js';
import { SPHERE } from './radial-shape.js';
import { ValueNoise } from './value-noise.js';
import type { Thorax } from './thorax.js';
import { lungBaseHu } from './thorax.js';
import { VESSEL_HU } from './vessel-tree.js';

const THORAX: Thorax = {
  cavityA: 140,
  cavityB: 95,
  wallMm: 25,
  fatMm: 8,
  mediastinumHalfMm: 28,
  heartExtraMm: 30,
  heartShiftMm: 10,
  zHeart: 10,
  apexZ: 110,
  diaphragmZ: -110,
  fissureZ: 10,
  ribPitchMm: 25,
  ribOffsetMm: 0,
};

/** A texture-free scene: the background is exactly lungBaseHu inside the lung. */
function flatScene(vessels: Scene['vessels'] = []): Scene {
  const zero = ValueNoise.random(new Rng(1), [-200, -200, -200], [400, 400, 400], 20);
  return { thorax: THORAX, emphysema: false, texture: zero.plus(0, zero, 0), emphysemaField: zero, vessels };
}

function sphereNodule(centre: Vec3, radiusMm: number, hu: number): NoduleAppearance {
  return {
    type: 'solid',
    diameterMm: 2 * radiusMm,
    body: { shape: SPHERE, centre, scaleMm: radiusMm, hu },
    spicules: [],
    spiculeHu: hu,
    inner: [],
  };
}

/** A rotated, anisotropic scan of a 40 mm cube around `centre` (anatomy frame). */
function geometry(centre: Vec3, spacing: Vec3): ScanGeometry {
  const pose = { rotation: rotationFromEulerDeg(2, -1.5, 4), translation: [3.5, 20, -180] as Vec3 };
  const w = anatomyToWorld(pose, centre);
  const shape: Vec3 = [Math.round(40 / spacing[0]), Math.round(40 / spacing[1]), Math.round(40 / spacing[2])];
  const origin: Vec3 = [w[0] - 19.3, w[1] - 20.6, w[2] - 18.7];
  return { pose, shape, spacing, origin, noiseSd: 0, rescaleIntercept: 0 };
}

/** Coverage of the rendered object per voxel, (hu - background) / (object HU - background). */
function coverageOf(withObject: Float32Array, without: Float32Array, objectHu: number): Float64Array {
  return Float64Array.from(withObject, (v, i) => (v - without[i]!) / (objectHu - without[i]!));
}

function weighted(g: ScanGeometry, a: Float64Array): { volume: number; centroid: Vec3 } {
  const [nx, ny] = g.shape;
  let sum = 0;
  const c = [0, 0, 0];
  a.forEach((w, v) => {
    if (w === 0) return;
    const i = v % nx;
    const j = Math.floor(v / nx) % ny;
    const k = Math.floor(v / (nx * ny));
    sum += w;
    c[0] += w * (g.origin[0] + i * g.spacing[0]);
    c[1] += w * (g.origin[1] + j * g.spacing[1]);
    c[2] += w * (g.origin[2] + k * g.spacing[2]);
  });
  const voxel = g.spacing[0] * g.spacing[1] * g.spacing[2];
  return { volume: sum * voxel, centroid: [c[0]! / sum, c[1]! / sum, c[2]! / sum] };
}

const CENTRE: Vec3 = [90, 0, 20];
const FAR: Vec3 = [90, 0, 300];
const SUB = { noduleMm: 0.35, anatomyMm: 0.6 };

test('the partial-volume nodule holds the sphere volume and is centred on the world coordinate', () => {
  for (const spacing of [
    [0.68359375, 0.68359375, 2.5],
    [0.8984375, 0.8984375, 1],
  ] as Vec3[]) {
    const g = geometry(CENTRE, spacing);
    const r = 3.1;
    const hu = 40;
    const a = coverageOf(renderScan(flatScene(), sphereNodule(CENTRE, r, hu), g, SUB), renderScan(flatScene(), sphereNodule(FAR, r, hu), g, SUB), hu);
    const m = weighted(g, a);
    const exact = (4 / 3) * Math.PI * r ** 3;
    assert.ok(Math.abs(m.volume / exact - 1) < 0.015, `spacing ${spacing}: volume ${m.volume} vs ${exact}`);
    const want = anatomyToWorld(g.pose, CENTRE);
    for (let k = 0; k < 3; k++) assert.ok(Math.abs(m.centroid[k]! - want[k]!) < 0.05, `centroid ${m.centroid} vs ${want}`);
    assert.ok(a.every((x) => x > -1e-6 && x < 1 + 1e-6), 'coverage within [0, 1]');
  }
});

test('a vessel capsule holds its volume (cylinder plus two half-balls) under partial volume', () => {
  const spacing: Vec3 = [0.7421875, 0.7421875, 1.25];
  const g = geometry(CENTRE, spacing);
  const cap = { a: [80, -6, 14] as Vec3, b: [98, 5, 27] as Vec3, r0: 1.4, r1: 1.4 };
  const none = sphereNodule(FAR, 1, 40);
  const a = coverageOf(renderScan(flatScene([cap]), none, g, SUB), renderScan(flatScene(), none, g, SUB), VESSEL_HU);
  const len = Math.hypot(18, 11, 13);
  const exact = Math.PI * 1.4 ** 2 * len + (4 / 3) * Math.PI * 1.4 ** 3;
  const m = weighted(g, a);
  assert.ok(Math.abs(m.volume / exact - 1) < 0.03, `volume ${m.volume} vs ${exact}`);
});

test('lung far from the nodule is at the base HU; the chest wall and air appear beyond the pleura', () => {
  const g = geometry(CENTRE, [0.75, 0.75, 2]);
  const hu = renderScan(flatScene(), sphereNodule(FAR, 1, 40), g, SUB);
  // The voxel nearest the centre, in the lung: exactly the base HU of its anatomy y.
  const [nx, ny, nz] = g.shape;
  const mid = Math.floor(nx / 2) + nx * (Math.floor(ny / 2) + ny * Math.floor(nz / 2));
  assert.ok(hu[mid]! > -880 && hu[mid]! < -840, `lung ${hu[mid]}`);
  const values = Array.from(hu);
  assert.ok(values.every((v) => v >= lungBaseHu(-200) && v <= lungBaseHu(200)), 'no tissue inside a field of view deep in the lung');

  // A field of view at the lateral wall: lung, soft tissue (with fat and ribs) and air outside.
  const wall: Vec3 = [THORAX.cavityA + 5, 0, 20];
  const gw = geometry(wall, [0.75, 0.75, 2]);
  const hw = Array.from(renderScan(flatScene(), sphereNodule(FAR, 1, 40), gw, SUB));
  assert.ok(hw.some((v) => v < -850), 'lung');
  assert.ok(hw.filter((v) => Math.abs(v - 45) < 1).length > 1000, 'muscle at 45 HU');
  assert.ok(hw.some((v) => Math.abs(v + 90) < 1), 'fat at -90 HU');
  assert.ok(hw.some((v) => v === -1000), 'air outside the body');
});

test('ground glass raises the lung to its HU but lets a denser vessel show through', () => {
  const g = geometry(CENTRE, [0.75, 0.75, 1]);
  const cap = { a: [82, 0, 20] as Vec3, b: [98, 0, 20] as Vec3, r0: 1.2, r1: 1.2 };
  const glass: NoduleAppearance = { ...sphereNodule(CENTRE, 6, -600), type: 'ground-glass' };
  const hu = renderScan(flatScene([cap]), glass, g, SUB);
  const w = anatomyToWorld(g.pose, CENTRE);
  const at = (q: Vec3): number => {
    const p = anatomyToWorld(g.pose, q);
    const idx = [0, 1, 2].map((a) => Math.round((p[a]! - g.origin[a]!) / g.spacing[a]!));
    return hu[idx[0]! + g.shape[0] * (idx[1]! + g.shape[1] * idx[2]!)]!;
  };
  assert.ok(w.every(Number.isFinite));
  assert.ok(Math.abs(at([90, 3.5, 20]) + 600) < 1, `ground glass ${at([90, 3.5, 20])}`);
  assert.ok(at([90, 0, 20]) > -100, `vessel through the ground glass ${at([90, 0, 20])}`);
});
