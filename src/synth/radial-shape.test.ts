import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../util/random.js';
import { maxRadius, meanAxialDiameter, radiusAt, sampleRadialShape, shapeVolume, SPHERE } from './radial-shape.js';
import type { RadialShape } from './radial-shape.js';

test('a unit sphere has radius 1, mean axial diameter 2 and volume 4 pi / 3', () => {
  assert.equal(radiusAt(SPHERE, 0.6, 0.8, 0), 1);
  assert.ok(Math.abs(meanAxialDiameter(SPHERE) - 2) < 1e-12);
  assert.ok(Math.abs(shapeVolume(SPHERE) - (4 * Math.PI) / 3) < 1e-9);
});

test('an axis-aligned ellipsoid: axial diameter (long + short) / 2 and volume 4 pi abc / 3', () => {
  const e: RadialShape = { axes: [1, 0, 0, 0, 1, 0, 0, 0, 1], scales: [1.2, 0.9, 0.7], lobes: [] };
  assert.ok(Math.abs(radiusAt(e, 1, 0, 0) - 1.2) < 1e-12);
  assert.ok(Math.abs(radiusAt(e, 0, 0, -1) - 0.7) < 1e-12);
  // Long axis 2 x 1.2 along x, short axis 2 x 0.9 along y: mean 2.1.
  assert.ok(Math.abs(meanAxialDiameter(e) - 2.1) < 1e-9);
  const exact = ((4 * Math.PI) / 3) * 1.2 * 0.9 * 0.7;
  assert.ok(Math.abs(shapeVolume(e, 20000) / exact - 1) < 2e-3);
});

test('a lobe raises the radius by its amplitude in its direction and almost nothing opposite', () => {
  const s: RadialShape = { axes: [1, 0, 0, 0, 1, 0, 0, 0, 1], scales: [1, 1, 1], lobes: [0, 0, 1, 0.3, 6] };
  assert.ok(Math.abs(radiusAt(s, 0, 0, 1) - 1.3) < 1e-12);
  assert.ok(Math.abs(radiusAt(s, 0, 0, -1) - (1 + 0.3 * Math.exp(-12))) < 1e-12);
  assert.ok(Math.abs(maxRadius(s) - 1.3) < 1e-12);
});

test('sampled shapes stay within maxRadius and have axial diameters near 2', () => {
  const rng = new Rng(3);
  for (const cls of ['smooth', 'lobulated', 'spiculated'] as const) {
    for (let n = 0; n < 30; n++) {
      const s = sampleRadialShape(rng, cls);
      const bound = maxRadius(s);
      for (let i = 0; i < 200; i++) {
        const z = rng.range(-1, 1);
        const phi = rng.range(0, 2 * Math.PI);
        const r = Math.sqrt(1 - z * z);
        assert.ok(radiusAt(s, r * Math.cos(phi), r * Math.sin(phi), z) <= bound + 1e-12);
      }
      const d = meanAxialDiameter(s);
      assert.ok(d > 1.6 && d < 3.2, `${cls}: ${d}`);
    }
  }
});
