import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../util/random.js';
import { ballVoxels, median } from './ball-voxels.js';
import { lungBackground } from './lung-background.js';
import type { Vec3, Volume } from './volume.js';

/** 80 x 80 x 40 voxels of 0.75 x 0.75 x 1.5 mm, flipped in x, holding value(world) + noise. */
function volumeOf(value: (x: number, y: number, z: number) => number, noise: number, seed = 3): Volume {
  const shape: Vec3 = [80, 80, 40];
  const spacing: Vec3 = [0.75, 0.75, 1.5];
  const origin: Vec3 = [30, -30, -30];
  const rng = new Rng(seed);
  const data = new Int16Array(80 * 80 * 40);
  for (let k = 0, p = 0; k < 40; k++) {
    for (let j = 0; j < 80; j++) {
      for (let i = 0; i < 80; i++, p++) data[p] = Math.round(value(origin[0] - i * spacing[0], origin[1] + j * spacing[1], origin[2] + k * spacing[2]) + rng.normal(0, noise));
    }
  }
  return { data, shape, spacing, origin, direction: [-1, 0, 0, 0, 1, 0, 0, 0, 1] };
}

test('the lung peak and its spread are found beside air outside the body, chest wall and a nodule', () => {
  // Lung -860 HU with SD 40; air (-1000 HU) beyond x = 3 mm fills about 40 % of the 12-24 mm shell,
  // a wall (40 HU) beyond y = 14 mm some more; a 16 mm nodule at the centre.
  const v = volumeOf((x, y, z) => (x > 3 ? -1000 : y > 14 ? 40 : Math.hypot(x, y, z) < 8 ? 30 : -860), 40);
  const lung = lungBackground(v, [0, 0, 0])!;
  assert.ok(Math.abs(lung.hu + 860) <= 8, `peak ${lung.hu}`);
  assert.ok(Math.abs(lung.noiseHu / 40 - 1) < 0.2, `noise ${lung.noiseHu}`);
  // The median of the same lung-range voxels is dragged towards the air; the peak is not.
  const shell = Array.from(ballVoxels(v, [0, 0, 0], 12, 24)).filter((x) => x >= -1100 && x <= -500);
  assert.ok(median(shell) < -885, `median ${median(shell)} (the check above must be stricter than a median)`);
});

test('a noise-free background gives its value and almost no spread; no lung in the shell gives null', () => {
  const flat = lungBackground(volumeOf(() => -850, 0), [1, -2, 3])!;
  // A single value smoothed by the 41 HU box still has a half width: what is left is under 15 HU.
  assert.equal(flat.hu, -850);
  assert.ok(flat.noiseHu < 15, `noise ${flat.noiseHu}`);
  assert.equal(lungBackground(volumeOf(() => 40, 20), [0, 0, 0]), null);
});

test('ballVoxels takes exactly the voxels in the shell, thinned by a stride beyond maxCount', () => {
  const v = volumeOf((x, y, z) => Math.round(10 * Math.hypot(x, y, z)), 0);
  const all = ballVoxels(v, [0, 0, 0], 5, 10);
  assert.ok(all.length > 1000 && all.every((d) => d >= 50 - 1 && d <= 100 + 1), 'distances x 10 within 5..10 mm');
  const thin = ballVoxels(v, [0, 0, 0], 5, 10, 300);
  assert.ok(thin.length <= 600 && thin.length >= 100, `${thin.length} of ${all.length}`);
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
});
