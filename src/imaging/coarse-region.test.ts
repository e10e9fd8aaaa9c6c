import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../util/random.js';
import { CoarseRegion } from './coarse-region.js';
import { connectedComponent, nearestInMask } from './connected-component.js';
import { centredGrid, sampleGrid } from './sample-grid.js';
import type { Vec3, Volume } from './volume.js';

/** Blobs of soft tissue in lung on an oblique 0.8 x 0.8 x 2 mm grid. */
function blobs(seed: number): Volume {
  const rng = new Rng(seed);
  const shape: Vec3 = [60, 60, 24];
  const balls = Array.from({ length: 12 }, () => ({ c: [rng.range(-20, 20), rng.range(-20, 20), rng.range(-20, 20)], r: rng.range(2, 8) }));
  const c = Math.cos(0.3);
  const s = Math.sin(0.3);
  const volume: Volume = { data: new Int16Array(60 * 60 * 24), shape, spacing: [0.8, 0.8, 2], origin: [-24, -20, -23], direction: [c, -s, 0, s, c, 0, 0, 0, 1] };
  for (let k = 0, p = 0; k < 24; k++) {
    for (let j = 0; j < 60; j++) {
      for (let i = 0; i < 60; i++, p++) {
        const x = -24 + c * 0.8 * i - s * 0.8 * j;
        const y = -20 + s * 0.8 * i + c * 0.8 * j;
        const z = -23 + 2 * k;
        const inside = balls.some((b) => Math.hypot(x - b.c[0]!, y - b.c[1]!, z - b.c[2]!) < b.r);
        (volume.data as Int16Array)[p] = Math.round((inside ? 40 : -850) + rng.normal(0, 30));
      }
    }
  }
  return volume;
}

test('lazy growth equals thresholding the whole resampled cube and taking the connected component', () => {
  for (const seed of [1, 2, 3]) {
    const volume = blobs(seed);
    const centre: Vec3 = [0.4, -0.3, 0.2];
    const region = new CoarseRegion(volume, centre, 40);
    const cube = sampleGrid(volume, centredGrid(centre, [40, 40, 40], [1, 1, 1]));
    for (const threshold of [-400, -700]) {
      const mask = Uint8Array.from(cube, (v) => (v > threshold ? 1 : 0));
      const start = nearestInMask(mask, [40, 40, 40], [1, 1, 1], [19.5, 19.5, 19.5], 6);
      assert.equal(region.seedNear(threshold, 6), start, `seed ${seed}, ${threshold} HU`);
      if (start < 0) continue;
      const eager = connectedComponent(mask, [40, 40, 40], start);
      const lazy = region.grow(start, threshold);
      assert.deepEqual(Array.from(lazy.mask), Array.from(eager), `seed ${seed}, ${threshold} HU`);
      assert.equal(lazy.members.length, eager.reduce((a, b) => a + b, 0));
      // The ring is the 26-neighbourhood of the component outside it.
      const ring = new Set(region.ring(lazy));
      for (const p of lazy.members) assert.ok(!ring.has(p));
      for (const q of ring) {
        const [i, j, k] = [q % 40, Math.floor(q / 40) % 40, Math.floor(q / 1600)];
        let touches = false;
        for (let dk = -1; dk <= 1; dk++) for (let dj = -1; dj <= 1; dj++) for (let di = -1; di <= 1; di++) touches ||= eager[i + di + 40 * (j + dj + 40 * (k + dk))] === 1;
        assert.ok(touches, `ring voxel ${q} is next to the component`);
      }
    }
  }
});
