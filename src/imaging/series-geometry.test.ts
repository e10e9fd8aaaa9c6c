import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seriesGeometry, type SlicePlacement } from './series-geometry.js';
import { voxelToWorld, type Vec3 } from './volume.js';
import { InputError } from '../util/errors.js';

/** Slices at the given positions along the normal of an orientation, shuffled on purpose. */
function stack(positions: number[], orientation = [1, 0, 0, 0, 1, 0], drift: Vec3 = [0, 0, 0]): SlicePlacement[] {
  const r = orientation.slice(0, 3);
  const c = orientation.slice(3);
  const n = [r[1]! * c[2]! - r[2]! * c[1]!, r[2]! * c[0]! - r[0]! * c[2]!, r[0]! * c[1]! - r[1]! * c[0]!];
  const base: Vec3 = [-100, 20, 0];
  const slices = positions.map((p, k) => ({
    file: `s${k}.dcm`,
    rows: 4,
    columns: 6,
    pixelSpacing: [0.5, 0.7] as const,
    position: [base[0] + p * n[0]! + k * drift[0], base[1] + p * n[1]! + k * drift[1], base[2] + p * n[2]! + k * drift[2]] as const,
    orientation,
  }));
  return [...slices.filter((_, k) => k % 2 === 1), ...slices.filter((_, k) => k % 2 === 0)];
}

function rule(slices: SlicePlacement[], expected: string, fileIncludes?: string): void {
  assert.throws(
    () => seriesGeometry(slices, 'folder'),
    (e: unknown) => e instanceof InputError && e.rule === expected && (fileIncludes === undefined || (e.file ?? '').includes(fileIncludes)),
    expected,
  );
}

test('slices sort by position along the normal; origin is the lowest slice, spacing from positions', () => {
  const g = seriesGeometry(stack([-124, -129, -134, -139, -144]), 'folder');
  assert.deepEqual(g.positions, [-144, -139, -134, -129, -124]);
  assert.deepEqual(g.shape, [6, 4, 5]);
  assert.deepEqual(g.spacing, [0.7, 0.5, 5]);
  assert.deepEqual(g.origin, [-100, 20, -144]);
  assert.deepEqual(g.direction, [1, 0, 0, 0, 1, 0, 0, 0, 1]);
});

test('an oblique orientation gives the normal as third axis, and voxel (0,0,k) lands on slice k', () => {
  const s = Math.SQRT1_2;
  const orientation = [s, s, 0, 0, 0, -1]; // rows along (x+y), columns towards the feet
  const slices = stack([0, 2, 4, 6], orientation);
  const g = seriesGeometry(slices, 'folder');
  const n = [-s, s, 0]; // r x c
  g.direction.forEach((d, i) => assert.ok(Math.abs(d - [s, 0, n[0]!, s, 0, n[1]!, 0, -1, n[2]!][i]!) < 1e-12));
  g.order.forEach((slice, k) => {
    const w = voxelToWorld(g, [0, 0, k]);
    slices[slice]!.position.forEach((x, a) => assert.ok(Math.abs(x - w[a]!) < 1e-9, `slice ${k} axis ${a}`));
  });
});

test('duplicate positions, gaps, uneven steps and tilt each give their own rule', () => {
  rule(stack([0, 5, 5, 10]), 'duplicate-slices');
  rule(stack([0, 5, 10, 20, 25]), 'missing-slices');
  rule(stack([0, 5, 10, 15.2, 20]), 'uneven-spacing');
  rule(stack([0, 5, 10, 15], [1, 0, 0, 0, 1, 0], [0, 0.1, 0]), 'gantry-tilt');
  rule(stack([0]), 'too-few-slices');
  rule(stack([0, 1, 2], [1, 0, 0, 0.5, 0.5, 0]), 'orientation-invalid');
});

test('the gap error names the positions on both sides of each gap', () => {
  try {
    seriesGeometry(stack([0, 5, 10, 20, 25, 40]), 'folder');
    assert.fail('expected a gap error');
  } catch (e) {
    assert.ok(e instanceof InputError);
    assert.match(e.message, /10 -> 20 mm/);
    assert.match(e.message, /25 -> 40 mm/);
    assert.match(e.message, /usual step is 5 mm/);
  }
});

test('slices that differ in size, spacing or orientation are refused as mixed geometry', () => {
  const base = stack([0, 5, 10]);
  rule([...base.slice(0, 2), { ...base[2]!, rows: 5 }], 'mixed-geometry', base[2]!.file);
  rule([...base.slice(0, 2), { ...base[2]!, pixelSpacing: [0.5, 0.71] }], 'mixed-geometry');
  rule([...base.slice(0, 2), { ...base[2]!, orientation: [1, 0, 0, 0, 0.9998, 0.02] }], 'mixed-geometry');
});
