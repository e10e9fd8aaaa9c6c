import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../util/random.js';
import { openMask } from './open-mask.js';
import type { Vec3 } from './volume.js';

/**
 * Opening written from its definition, by brute force: a voxel stays when it lies within `radius`
 * of a centre whose every voxel closer than `radius` is inside the mask (the grid's outer layer
 * counting as outside).
 */
function bruteOpen(mask: Uint8Array, shape: Vec3, radius: number): Uint8Array {
  const [nx, ny, nz] = shape;
  const r2 = radius * radius;
  const at = (i: number, j: number, k: number): number => i + nx * (j + ny * k);
  const inside = (i: number, j: number, k: number): boolean => i > 0 && j > 0 && k > 0 && i < nx - 1 && j < ny - 1 && k < nz - 1 && mask[at(i, j, k)] === 1;
  const reach = Math.ceil(radius);
  const centres: Vec3[] = [];
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        let fits = true;
        for (let c = -reach; c <= reach && fits; c++) {
          for (let b = -reach; b <= reach && fits; b++) {
            for (let a = -reach; a <= reach && fits; a++) {
              if (a * a + b * b + c * c < r2 && !inside(i + a, j + b, k + c)) fits = false;
            }
          }
        }
        if (fits) centres.push([i, j, k]);
      }
    }
  }
  const out = new Uint8Array(mask.length);
  for (const [i, j, k] of centres) {
    for (let c = -reach; c <= reach; c++) {
      for (let b = -reach; b <= reach; b++) {
        for (let a = -reach; a <= reach; a++) {
          const [x, y, z] = [i + a, j + b, k + c];
          if (a * a + b * b + c * c <= r2 && x >= 0 && y >= 0 && z >= 0 && x < nx && y < ny && z < nz && mask[at(x, y, z)] === 1) out[at(x, y, z)] = 1;
        }
      }
    }
  }
  return out;
}

test('openMask equals the brute-force opening on random blobby masks', () => {
  const rng = new Rng(5);
  const shape: Vec3 = [14, 12, 10];
  for (const radius of [1, 1.5, 2.3]) {
    // Random balls make blobs with thin necks and specks.
    const mask = new Uint8Array(shape[0] * shape[1] * shape[2]);
    for (let b = 0; b < 6; b++) {
      const c = [rng.range(2, 12), rng.range(2, 10), rng.range(2, 8)];
      const r = rng.range(0.8, 3.5);
      for (let k = 0, p = 0; k < shape[2]; k++) for (let j = 0; j < shape[1]; j++) for (let i = 0; i < shape[0]; i++, p++) if ((i - c[0]!) ** 2 + (j - c[1]!) ** 2 + (k - c[2]!) ** 2 <= r * r) mask[p] = 1;
    }
    assert.deepEqual(Array.from(openMask(mask, shape, radius)), Array.from(bruteOpen(mask, shape, radius)), `radius ${radius}`);
  }
});

test('a strand one voxel thick is cut from a ball beyond its junction; the ball stays', () => {
  const shape: Vec3 = [40, 24, 24];
  const mask = new Uint8Array(40 * 24 * 24);
  const ball = new Uint8Array(mask.length);
  for (let k = 0, p = 0; k < 24; k++) {
    for (let j = 0; j < 24; j++) {
      for (let i = 0; i < 40; i++, p++) {
        if ((i - 11.5) ** 2 + (j - 11.5) ** 2 + (k - 11.5) ** 2 <= 49) ball[p] = mask[p] = 1;
        if (j === 12 && k === 12 && i >= 11 && i < 38) mask[p] = 1; // a strand leaving the ball along x
      }
    }
  }
  const opened = openMask(mask, shape, 2);
  // Strand voxels further out than the ball's edge (i = 18) plus the radius are gone; the one next
  // to the edge is kept, since a ball of radius 2 fitting in ball plus strand covers it.
  let strand = 0;
  let kept = 0;
  let total = 0;
  for (let p = 0; p < mask.length; p++) {
    if (opened[p] === 1 && ball[p] === 0 && p % 40 > 20) strand++;
    if (ball[p] === 1) {
      total++;
      kept += opened[p]!;
    }
  }
  assert.equal(strand, 0, 'strand voxels left');
  assert.equal(kept, total, 'a ball of radius 7 is unchanged by a ball of radius 2');
});
