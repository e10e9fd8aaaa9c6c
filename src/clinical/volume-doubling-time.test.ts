import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../util/errors.js';
import { volumeDoublingTime, volumeDoublingTimeFromDiameters } from './volume-doubling-time.js';

function near(actual: number, expected: number, tol: number): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not ${expected} within ${tol}`);
}

test('vdt from volumes: the issue example, 300 -> 600 mm^3 in 365 days doubles once', () => {
  // VDT = 365 ln2 / ln(600/300) = 365 ln2 / ln2 = 365 days, < 400 -> suspicious
  const r = volumeDoublingTime({ days: 365, volume0Mm3: 300, volume1Mm3: 600 });
  near(r.vdtDays, 365, 1e-9);
  assert.equal(r.interpretation, 'suspicious');
  near(r.doublingRate, 1 / 365, 1e-15);
});

test('vdt from volumes: 200 -> 500 mm^3 in 180 days', () => {
  // VDT = 180 (0.693147) / ln 2.5 = 124.766493 / 0.916291 = 136.1647 days
  const r = volumeDoublingTime({ days: 180, volume0Mm3: 200, volume1Mm3: 500 });
  near(r.vdtDays, 136.1647, 5e-5);
  assert.equal(r.method, 'volume');
});

test('vdt from diameters: 8 -> 10 mm in 200 days', () => {
  // VDT = 200 ln2 / (3 ln(10/8)) = 138.629436 / (3 x 0.223144) = 138.629436 / 0.669431 = 207.0856 days
  // volume ratio (10/8)^3 = 1.953125
  const r = volumeDoublingTimeFromDiameters({ days: 200, diameter0Mm: 8, diameter1Mm: 10 });
  near(r.vdtDays, 207.0856, 5e-5);
  near(r.volumeRatio, 1.953125, 1e-12);
  assert.equal(r.interpretation, 'suspicious');
  assert.equal(r.method, 'diameter');
  // the same nodule measured as spheres (V = pi d^3 / 6) gives the same VDT from volumes
  const v = volumeDoublingTime({ days: 200, volume0Mm3: (Math.PI * 8 ** 3) / 6, volume1Mm3: (Math.PI * 10 ** 3) / 6 });
  near(v.vdtDays, r.vdtDays, 1e-9);
});

test('vdt: each interpretation boundary on both sides (one doubling over t days gives VDT = t)', () => {
  const at = (days: number) => volumeDoublingTime({ days, volume0Mm3: 100, volume1Mm3: 200 }).interpretation;
  assert.equal(at(29), 'infection-like');
  assert.equal(at(30), 'suspicious');
  assert.equal(at(399), 'suspicious');
  assert.equal(at(400), 'indeterminate');
  assert.equal(at(600), 'indeterminate');
  assert.equal(at(601), 'favours-benign');
});

test('vdt: a volume change under 25% is stable, on both sides of the boundary', () => {
  const r = (v1: number) => volumeDoublingTime({ days: 100, volume0Mm3: 100, volume1Mm3: v1 });
  assert.equal(r(124).interpretation, 'stable');
  // +25%: VDT = 100 ln2 / ln 1.25 = 69.314718 / 0.223144 = 310.63 days -> suspicious
  assert.equal(r(125).interpretation, 'suspicious');
  near(r(125).vdtDays, 310.6284, 5e-5);
  assert.equal(r(76).interpretation, 'stable');
  assert.equal(r(75).interpretation, 'shrinking');
});

test('vdt: shrinking gives a negative VDT (minus the halving time); no change gives Infinity and rate 0', () => {
  // 300 -> 150 in 365 days: VDT = 365 ln2 / ln 0.5 = -365
  const s = volumeDoublingTime({ days: 365, volume0Mm3: 300, volume1Mm3: 150 });
  near(s.vdtDays, -365, 1e-9);
  assert.equal(s.interpretation, 'shrinking');
  assert.ok(s.doublingRate < 0);
  const same = volumeDoublingTime({ days: 365, volume0Mm3: 300, volume1Mm3: 300 });
  assert.equal(same.vdtDays, Infinity);
  assert.equal(same.doublingRate, 0);
  assert.equal(same.interpretation, 'stable');
});

test('vdt: bad inputs name the field', () => {
  assert.throws(() => volumeDoublingTime({ days: 0, volume0Mm3: 1, volume1Mm3: 2 }), (e: unknown) => e instanceof InputError && /^vdt: days must be greater than 0/.test(e.message));
  assert.throws(() => volumeDoublingTime({ days: 10, volume0Mm3: -1, volume1Mm3: 2 }), (e: unknown) => e instanceof InputError && /volume0_mm3/.test(e.message));
  assert.throws(() => volumeDoublingTimeFromDiameters({ days: 10, diameter0Mm: 3, diameter1Mm: Number.NaN }), (e: unknown) => e instanceof InputError && /diameter1_mm must be a number/.test(e.message));
});
