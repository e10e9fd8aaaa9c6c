import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../util/random.js';
import { InputError } from '../util/errors.js';
import { checkCentreInside, extractPatch, windowHu } from './extract-patch.js';
import { centredGrid, sampleGrid } from './sample-grid.js';
import { voxelToWorld, worldToVoxel, type Vec3, type Volume } from './volume.js';

/** An oblique volume (rotated 20 degrees about z, k axis flipped) holding `value(i, j, k)`. */
function obliqueVolume(value: (i: number, j: number, k: number) => number): Volume {
  const shape: Vec3 = [30, 25, 12];
  const c = Math.cos(0.35);
  const s = Math.sin(0.35);
  const data = new Float32Array(shape[0] * shape[1] * shape[2]);
  for (let k = 0, p = 0; k < shape[2]; k++) for (let j = 0; j < shape[1]; j++) for (let i = 0; i < shape[0]; i++, p++) data[p] = value(i, j, k);
  return { data, shape, spacing: [0.8, 0.9, 2], origin: [-10, 5, 30], direction: [c, -s, 0, s, c, 0, 0, 0, -1] };
}

/** Trilinear interpolation written the plain way: world -> index per point, 8 neighbours, air outside. */
function naiveSample(v: Volume, world: Vec3): number {
  const [x, y, z] = worldToVoxel(v, world);
  const i0 = Math.floor(x);
  const j0 = Math.floor(y);
  const k0 = Math.floor(z);
  let sum = 0;
  for (let dk = 0; dk <= 1; dk++) {
    for (let dj = 0; dj <= 1; dj++) {
      for (let di = 0; di <= 1; di++) {
        const i = i0 + di;
        const j = j0 + dj;
        const k = k0 + dk;
        const w = (di ? x - i0 : 1 - (x - i0)) * (dj ? y - j0 : 1 - (y - j0)) * (dk ? z - k0 : 1 - (z - k0));
        const inside = i >= 0 && j >= 0 && k >= 0 && i < v.shape[0] && j < v.shape[1] && k < v.shape[2];
        sum += w * (inside ? v.data[i + v.shape[0] * (j + v.shape[1] * k)]! : -1000);
      }
    }
  }
  return sum;
}

test('sampleGrid agrees with per-point trilinear interpolation, inside, across the edge and outside', () => {
  const rng = new Rng(11);
  const v = obliqueVolume(() => rng.range(-1000, 400));
  const centre = voxelToWorld(v, [14, 12, 5.5]);
  const grid = centredGrid(centre, [40, 36, 30], [0.9, 1.1, 0.7]); // reaches beyond the volume on purpose
  const got = sampleGrid(v, grid);
  let outside = 0;
  for (let c = 0, n = 0; c < 30; c++) {
    for (let b = 0; b < 36; b++) {
      for (let a = 0; a < 40; a++, n++) {
        const expected = naiveSample(v, voxelToWorld(grid, [a, b, c]));
        if (expected === -1000) outside++;
        assert.ok(Math.abs(got[n]! - expected) < 1e-2, `grid voxel ${a},${b},${c}: ${got[n]} vs ${expected}`);
      }
    }
  }
  assert.ok(outside > 1000, 'the grid reaches outside the volume');
});

test('a linear field is reproduced exactly by trilinear sampling', () => {
  const v = obliqueVolume((i, j, k) => 3 * i - 2 * j + 5 * k - 100);
  const grid = centredGrid(voxelToWorld(v, [15, 12, 6]), [10, 10, 6], [1, 1, 1]);
  const got = sampleGrid(v, grid);
  for (let n = 0; n < got.length; n++) {
    const [i, j, k] = worldToVoxel(v, voxelToWorld(grid, [n % 10, Math.floor(n / 10) % 10, Math.floor(n / 100)]));
    assert.ok(Math.abs(got[n]! - (3 * i - 2 * j + 5 * k - 100)) < 1e-3);
  }
});

test('extractPatch: 64 x 64 x 16 at 1 mm along the world axes, centred between voxels 31/32 and 7/8, windowed', () => {
  const v = obliqueVolume((i) => (i < 15 ? -1200 : 600));
  const centre = voxelToWorld(v, [15, 12, 6]);
  const p = extractPatch(v, centre);
  assert.deepEqual(p.shape, [64, 64, 16]);
  assert.deepEqual(p.spacing, [1, 1, 1]);
  assert.deepEqual(p.direction, [1, 0, 0, 0, 1, 0, 0, 0, 1]);
  const mid = voxelToWorld(p, [31.5, 31.5, 7.5]);
  mid.forEach((x, a) => assert.ok(Math.abs(x - centre[a]!) < 1e-9));
  assert.equal(p.data.length, 64 * 64 * 16);
  let min = Infinity;
  let max = -Infinity;
  for (const x of p.data) {
    min = Math.min(min, x);
    max = Math.max(max, x);
  }
  assert.equal(min, 0);
  assert.equal(max, 1);
  assert.equal(windowHu(-1200), 0);
  assert.equal(windowHu(600), 1);
  assert.ok(Math.abs(windowHu(0) - 2 / 3) < 1e-12);
  assert.equal(windowHu(-3000), 0);
  assert.equal(windowHu(3000), 1);
});

test('out-of-volume parts of a patch read as air', () => {
  const v = obliqueVolume(() => 40);
  const corner = voxelToWorld(v, [0, 0, 0]);
  const p = extractPatch(v, corner);
  const air = windowHu(-1000);
  const values = new Set(Array.from(p.data, (x) => Math.round(x * 1e6) / 1e6));
  assert.ok(values.has(Math.round(air * 1e6) / 1e6), 'air outside');
  assert.ok(values.has(Math.round(windowHu(40) * 1e6) / 1e6), 'tissue inside');
});

test('a centre outside the volume is an error naming the label, the coordinate and the bounds', () => {
  const v = obliqueVolume(() => 0);
  const far: Vec3 = [500, 0, 0];
  assert.throws(
    () => extractPatch(v, far, 'subject 42 T1', 'scan.nii'),
    (e: unknown) =>
      e instanceof InputError &&
      e.rule === 'centre-outside-volume' &&
      e.file === 'scan.nii' &&
      /^subject 42 T1: nodule centre \(500\.0, 0\.0, 0\.0\) lies outside the volume \(x -?\d+\.\d\.\.-?\d+\.\d, y .* z .* mm, LPS\)$/.test(e.message),
  );
  assert.doesNotThrow(() => checkCentreInside(v, voxelToWorld(v, [29.4, 24.4, 11.4]), 'edge'));
});
