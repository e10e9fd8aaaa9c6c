import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../util/errors.js';
import { mayo } from './mayo.js';

function close4(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) <= 5e-5, `${actual} is not ${expected} to 4 decimals`);
}

// Swensen et al. 1997: x = -6.8272 + 0.0391 age + 0.7917 smoker + 1.3388 cancer + 0.1274 diameter
//                          + 1.0407 spiculation + 0.7838 upper lobe; p = e^x / (1 + e^x)

test('mayo: 65 y smoker, 15 mm spiculated upper-lobe nodule', () => {
  // x = -6.8272 + 0.0391(65) = 2.5415 + 0.7917 + 0.1274(15) = 1.911 + 1.0407 + 0.7838 = 0.2415
  // p = e^0.2415 / (1 + e^0.2415) = 1.273157 / 2.273157 = 0.560083
  const r = mayo({ age: 65, smoker: true, cancerHistory: false, diameterMm: 15, spiculation: true, upperLobe: true });
  close4(r.p, 0.5601);
  assert.deepEqual(r.assumed, []);
});

test('mayo: 50 y never smoker with an old extrathoracic cancer, 8 mm smooth lower-lobe nodule', () => {
  // x = -6.8272 + 0.0391(50) = 1.955 + 1.3388 + 0.1274(8) = 1.0192 = -2.5142
  // p = e^-2.5142 / (1 + e^-2.5142) = 0.080928 / 1.080928 = 0.074869
  const r = mayo({ age: 50, smoker: false, cancerHistory: true, diameterMm: 8, spiculation: false, upperLobe: false });
  close4(r.p, 0.0749);
});

test('mayo: missing flags are assumed absent and listed', () => {
  const r = mayo({ age: 50, diameterMm: 8 });
  assert.deepEqual(r.assumed.map((a) => a.field), ['smoker', 'cancer_history', 'spiculation', 'upper_lobe']);
  // x = -6.8272 + 1.955 + 1.0192 = -3.853; p = 0.021216 / 1.021216 = 0.020775
  close4(r.p, 0.0208);
});

test('mayo: bad inputs name the field', () => {
  assert.throws(() => mayo({ age: 300, diameterMm: 8 }), (e: unknown) => e instanceof InputError && /^mayo: age must be between 18 and 110 years, got 300$/.test(e.message));
  assert.throws(() => mayo({ age: 60, diameterMm: -1 }), (e: unknown) => e instanceof InputError && /diameter_mm/.test(e.message));
});
