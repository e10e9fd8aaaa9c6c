import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../util/random.js';
import { affineOf, det3, flipLpsRas, geometryFromAffine, quaternionOf, rotationOfQuaternion } from './affine.js';
import { InputError } from '../util/errors.js';

/** A random orthonormal 3x3 (row-major) from Gram-Schmidt on Gaussian columns; improper when asked. */
function randomRotation(rng: Rng, improper: boolean): number[] {
  const cols: number[][] = [];
  for (let c = 0; c < 3; c++) {
    let v = [rng.normal(), rng.normal(), rng.normal()];
    for (const u of cols) {
      const dot = v[0]! * u[0]! + v[1]! * u[1]! + v[2]! * u[2]!;
      v = v.map((x, i) => x - dot * u[i]!);
    }
    const n = Math.hypot(v[0]!, v[1]!, v[2]!);
    cols.push(v.map((x) => x / n));
  }
  if ((det3(toRowMajor(cols)) < 0) !== improper) cols[2] = cols[2]!.map((x) => -x);
  return toRowMajor(cols);
}

function toRowMajor(cols: number[][]): number[] {
  return [0, 1, 2].flatMap((r) => [0, 1, 2].map((c) => cols[c]![r]!));
}

test('quaternionOf and rotationOfQuaternion invert each other on proper and improper rotations', () => {
  const rng = new Rng(7);
  for (let trial = 0; trial < 200; trial++) {
    const improper = trial % 2 === 1;
    const r = randomRotation(rng, improper);
    const q = quaternionOf(r);
    assert.equal(q.qfac, improper ? -1 : 1);
    const back = rotationOfQuaternion(q.b, q.c, q.d, q.qfac);
    for (let n = 0; n < 9; n++) assert.ok(Math.abs(back[n]! - r[n]!) < 1e-9, `trial ${trial} entry ${n}: ${back[n]} vs ${r[n]}`);
  }
});

test('the axis-flip rotations of real scans (180 degrees about an axis) survive the quaternion', () => {
  for (const r of [
    [-1, 0, 0, 0, -1, 0, 0, 0, 1],
    [1, 0, 0, 0, -1, 0, 0, 0, -1],
    [-1, 0, 0, 0, 1, 0, 0, 0, -1],
    [-1, 0, 0, 0, -1, 0, 0, 0, -1],
    [0, 1, 0, 0, 0, -1, -1, 0, 0],
  ]) {
    const q = quaternionOf(r);
    assert.deepEqual(rotationOfQuaternion(q.b, q.c, q.d, q.qfac).map((x) => Math.round(x * 1e9) / 1e9 + 0), r);
  }
});

test('geometryFromAffine recovers spacing, direction and origin of affineOf, through RAS and back', () => {
  const rng = new Rng(3);
  const direction = randomRotation(rng, false);
  const v = { spacing: [0.7, 0.8, 2.5] as const, origin: [-12, 40.5, -300] as const, direction };
  const g = geometryFromAffine(flipLpsRas(flipLpsRas(affineOf(v))), 'x.nii');
  assert.deepEqual(g.origin, [-12, 40.5, -300]);
  g.spacing.forEach((s, i) => assert.ok(Math.abs(s - v.spacing[i]!) < 1e-12));
  g.direction.forEach((d, i) => assert.ok(Math.abs(d - direction[i]!) < 1e-12));
});

test('geometryFromAffine refuses a zero voxel size and a sheared grid, naming file and rule', () => {
  const zero = [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
  assert.throws(() => geometryFromAffine(zero, 'a.nii'), (e: unknown) => e instanceof InputError && e.rule === 'voxel-size-positive' && e.file === 'a.nii');
  const shear = [1, 0.2, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
  assert.throws(() => geometryFromAffine(shear, 'b.nii'), (e: unknown) => e instanceof InputError && e.rule === 'affine-orthogonal');
  const nan = [NaN, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
  assert.throws(() => geometryFromAffine(nan, 'c.nii'), (e: unknown) => e instanceof InputError && e.rule === 'affine-finite');
});
