import { test } from 'node:test';
import assert from 'node:assert/strict';
import { centredGrid } from './sample-grid.js';
import { ellipsoidPhantom } from './testing/phantom.js';
import { coreThreshold, rimThreshold, thresholdLevels, type ThresholdLevels } from './nodule-threshold.js';
import type { Vec3 } from './volume.js';

const levels = (backgroundHu: number, noiseHu: number, coreHu: number): ThresholdLevels => ({
  backgroundHu,
  noiseHu,
  coreHu,
  rimHu: null,
  floorHu: backgroundHu + Math.max(2.5 * noiseHu, 50),
});

test('the core threshold is halfway between lung and core, the core capped at 100 HU, never below the floor', () => {
  assert.equal(coreThreshold(levels(-860, 20, 40)), -410); // solid: (-860 + 40) / 2
  assert.equal(coreThreshold(levels(-860, 20, 600)), -380); // calcified core counts as 100 HU
  assert.equal(coreThreshold(levels(-860, 20, -640)), -750); // ground glass
  assert.equal(coreThreshold(levels(-860, 50, -640)), -735); // noisier: the floor -860 + 125 wins
  assert.equal(coreThreshold(levels(-860, 5, -840)), -810); // nothing there: the floor, 50 HU above lung
});

test('a rim lowers the threshold halfway to the lung (not below the floor), never raises it', () => {
  assert.equal(rimThreshold(levels(-860, 20, 40), -410, -620), -740);
  assert.equal(rimThreshold(levels(-860, 50, 40), -410, -700), -735);
  assert.equal(rimThreshold(levels(-860, 20, 40), -760, -620), null);
});

test('thresholdLevels reads lung, noise and core from a noisy part-solid phantom', () => {
  const centre: Vec3 = [10, -20, 30];
  const grid = centredGrid(centre, [90, 90, 50], [0.7, 0.7, 1.25]);
  const v = ellipsoidPhantom(grid, { centre, diametersMm: [14, 14, 14], noduleHu: -600, backgroundHu: -870, core: { diametersMm: [6, 6, 6], hu: 30 }, noiseHu: 30 });
  const l = thresholdLevels(v, centre)!;
  assert.ok(Math.abs(l.backgroundHu + 870) <= 6, `background ${l.backgroundHu}`);
  assert.ok(Math.abs(l.noiseHu / 30 - 1) < 0.15, `noise ${l.noiseHu}`);
  assert.ok(Math.abs(l.coreHu - 30) < 20, `core ${l.coreHu}`);
  assert.equal(l.floorHu, l.backgroundHu + 2.5 * l.noiseHu);
});
