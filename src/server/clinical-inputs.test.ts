import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NoduleMeasurement } from '../imaging/measure-nodule.js';
import { NLST_VOCAB } from '../model/checkpoint.js';
import { NLST_COLUMNS } from '../model/variants.js';
import { InputError } from '../util/errors.js';
import { clinicalRecord, diameterUsed, encodeForCheckpoint } from './clinical-inputs.js';

const schema = { columns: [...NLST_COLUMNS], vocab: NLST_VOCAB };

test('clinical fields are encoded with the checkpoint vocabulary, column by column', () => {
  const idx = encodeForCheckpoint({ race: 3, cigsmok: 0, gender: 2, age: 70 }, schema);
  // race, cigsmok, gender, age: the index of each value's text in that column's vocabulary.
  assert.deepEqual([...idx], [NLST_VOCAB[0]!.indexOf('3'), NLST_VOCAB[1]!.indexOf('0'), NLST_VOCAB[2]!.indexOf('2'), NLST_VOCAB[3]!.indexOf('70')]);
  assert.deepEqual([...idx], [2, 0, 1, 15]);
});

test('a missing column or an unknown value names the field and what is accepted', () => {
  assert.throws(
    () => encodeForCheckpoint({ race: 1, cigsmok: 1, gender: 1 }, schema),
    (e: unknown) => e instanceof InputError && e.file === 'study.clinical.age' && e.rule === 'clinical-column-missing' && /55, 56/.test(e.message),
  );
  assert.throws(
    () => encodeForCheckpoint({ race: 1, cigsmok: 1, gender: 1, age: 80 }, schema),
    (e: unknown) => e instanceof InputError && e.file === 'study.clinical.age' && e.rule === 'clinical-value-unknown',
  );
});

const measured = (d: number | null, border = false): NoduleMeasurement => ({
  found: true,
  touchesBorder: border,
  volumeMm3: 100,
  meanDiameterMm: d,
  longAxisMm: d,
  shortAxisMm: d,
  equivalentDiameterMm: d,
  seed: [0, 0, 0],
  thresholdHu: -400,
  regionMm: 64,
  voxelMm: 0.5,
});

test('a diameter given with the upload wins; a segmentation cut by the border gives none', () => {
  assert.deepEqual(diameterUsed(7, measured(9)), { mm: 7, source: 'given' });
  assert.deepEqual(diameterUsed(undefined, measured(9)), { mm: 9, source: 'measured' });
  assert.deepEqual(diameterUsed(undefined, measured(9, true)), { mm: null, source: null });
  const r = clinicalRecord('s', { days: 30, t0: { x: 0, y: 0, z: 0 }, t1: { x: 0, y: 0, z: 0, diameter_mm: 12, nodule_type: 'solid' }, clinical: { age: 60 } }, { t0: measured(9, true), t1: measured(11) });
  assert.deepEqual(r.t0, { diameterMm: undefined, volumeMm3: undefined, type: undefined, solidMm: undefined });
  assert.deepEqual(r.t1, { diameterMm: 12, volumeMm3: 100, type: 'solid', solidMm: undefined });
  assert.equal(r.age, 60);
  assert.equal(r.days, 30);
});
