import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../util/errors.js';
import { parseStudyInput } from './study-input.js';

const valid = { days: 180, t0: { x: 1, y: 2, z: 3 }, t1: { x: 1.5, y: 2, z: 3, diameter_mm: 9.5, nodule_type: 'part-solid', solid_mm: 4 }, clinical: { age: 63, gender: 2, site: 'A' } };

function fails(value: unknown, field: string, rule = 'study-field'): void {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  assert.throws(
    () => parseStudyInput(text),
    (err: unknown) => err instanceof InputError && err.rule === rule && err.file === field && err.message.startsWith(field),
    `${text} should name ${field}`,
  );
}

test('a valid study field parses, extra clinical columns kept as given', () => {
  const s = parseStudyInput(JSON.stringify(valid));
  assert.equal(s.days, 180);
  assert.equal(s.t1.nodule_type, 'part-solid');
  assert.deepEqual(s.clinical, { age: 63, gender: 2, site: 'A' });
  assert.deepEqual(parseStudyInput(JSON.stringify({ days: 1, t0: { x: 0, y: 0, z: 0 }, t1: { x: 0, y: 0, z: 0 } })).clinical, {});
});

test('each malformed field is refused with its name', () => {
  fails({ ...valid, days: 0 }, 'study.days');
  fails({ ...valid, days: 'soon' }, 'study.days');
  fails({ ...valid, t0: { x: 1, y: 2 } }, 'study.t0.z');
  fails({ ...valid, t1: { ...valid.t1, x: 'left' } }, 'study.t1.x');
  fails({ ...valid, t1: { ...valid.t1, nodule_type: 'spiky' } }, 'study.t1.nodule_type');
  fails({ ...valid, clinical: { gender: 3 } }, 'study.clinical.gender');
  fails({ ...valid, clinical: { age: 63.5 } }, 'study.clinical.age');
  fails({ ...valid, patient_name: 'x' }, 'study');
  fails({ ...valid, t0: { ...valid.t0, diameter: 4 } }, 'study.t0');
  fails('{"days": 1,', 'study', 'study-json');
  assert.throws(() => parseStudyInput(undefined), (err: unknown) => err instanceof InputError && err.rule === 'study-missing');
});
