import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../util/random.js';
import { squaredDistanceTransform } from './distance-transform.js';
import type { Vec3 } from './volume.js';

/** Squared distance to the nearest source voxel by trying every pair. */
function bruteForce(source: Uint8Array, shape: Vec3): Float64Array {
  const [nx, ny] = shape;
  const ijk = (p: number): Vec3 => [p % nx, Math.floor(p / nx) % ny, Math.floor(p / (nx * ny))];
  const sources = [...source.keys()].filter((p) => source[p] !== 0).map(ijk);
  return Float64Array.from(source, (_, p) => {
    const [i, j, k] = ijk(p);
    return Math.min(Infinity, ...sources.map(([a, b, c]) => (i - a) ** 2 + (j - b) ** 2 + (k - c) ** 2));
  });
}

test('squared distances equal the brute-force ones on random masks of several shapes and densities', () => {
  const rng = new Rng(11);
  for (const [shape, density] of [
    [[7, 9, 5], 0.05],
    [[12, 3, 8], 0.2],
    [[1, 15, 6], 0.1],
    [[10, 10, 1], 0.02],
    [[6, 6, 6], 0.6],
  ] as [Vec3, number][]) {
    const source = Uint8Array.from({ length: shape[0] * shape[1] * shape[2] }, () => (rng.uniform() < density ? 1 : 0));
    assert.deepEqual(Array.from(squaredDistanceTransform(source, shape)), Array.from(bruteForce(source, shape)), `shape ${shape.join('x')}`);
  }
});

test('a single source gives squared Euclidean distances; no source gives Infinity everywhere', () => {
  const shape: Vec3 = [5, 4, 3];
  const one = new Uint8Array(60);
  one[2 + 5 * (1 + 4 * 2)] = 1;
  const d = squaredDistanceTransform(one, shape);
  assert.equal(d[0], 2 ** 2 + 1 ** 2 + 2 ** 2);
  assert.equal(d[4 + 5 * (3 + 4 * 0)], 2 ** 2 + 2 ** 2 + 2 ** 2);
  assert.ok(squaredDistanceTransform(new Uint8Array(60), shape).every((x) => x === Infinity));
});
