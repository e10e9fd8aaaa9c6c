import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../util/errors.js';
import { BROCK_COEFFICIENTS, BROCK_SIZE_CENTRE, brock } from './brock.js';

/** Asserts |actual - expected| <= 5e-5, i.e. equal to 4 decimals. */
function close4(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 5e-5, `${what}: ${actual} is not ${expected} to 4 decimals`);
}

// Worked examples, each computed by hand from the coefficients of McWilliams et al. 2013 (model 2b:
// -6.7892, age 0.0287, female 0.6011, fam 0.2961, emph 0.2953, s -5.3854, part-solid 0.377,
// non-solid -0.1276, upper 0.6581, count -0.0824, spic 0.7729), s = (d/10)^-0.5 - 1.58113883.

test('brock 2b: the issue example (62 y female, 12 mm solid, upper lobe, spiculated, 1 nodule, family history, emphysema)', () => {
  // s = 1.2^-0.5 - 1.58113883 = 0.912870929 - 1.58113883 = -0.668267901
  // logit = -6.7892 + 0 (age 62) + 0.6011 + 0.2961 + 0.2953 + (-5.3854)(-0.668267901) = 3.598890
  //         + 0.6581 + (-0.0824)(1 - 4) = 0.2472 + 0.7729
  //       = -6.7892 + 0.6011 + 0.2961 + 0.2953 + 3.598890 + 0.6581 + 0.2472 + 0.7729 = -0.319610
  // p = 1 / (1 + e^0.319610) = 1 / (1 + 1.376591) = 0.420771
  const r = brock({ age: 62, sex: 'female', diameterMm: 12, type: 'solid', upperLobe: true, spiculation: true, count: 1, familyHistory: true, emphysema: true });
  assert.equal(r.model, 'brock-2b');
  close4(r.p, 0.4208, 'p');
  assert.deepEqual(r.assumed, []);
});

test('brock 2b: 55 y male, 6 mm solid, lower lobe, 3 nodules, nothing else', () => {
  // s = 0.6^-0.5 - 1.58113883 = 1.290994449 - 1.58113883 = -0.290144381
  // logit = -6.7892 + 0.0287(55 - 62) = -0.2009 + (-5.3854)(-0.290144381) = 1.562544 + (-0.0824)(3 - 4) = 0.0824
  //       = -6.7892 - 0.2009 + 1.562544 + 0.0824 = -5.345156
  // p = 1 / (1 + e^5.345156) = 1 / (1 + 209.590672) = 0.004749
  const r = brock({ age: 55, sex: 'male', diameterMm: 6, type: 'solid', upperLobe: false, spiculation: false, count: 3, familyHistory: false, emphysema: false });
  close4(r.p, 0.0047, 'p');
});

test('brock 2b: 70 y female, 20 mm part-solid, upper lobe, spiculated, 2 nodules, emphysema', () => {
  // s = 2^-0.5 - 1.58113883 = 0.707106781 - 1.58113883 = -0.874032049
  // logit = -6.7892 + 0.0287(8) = 0.2296 + 0.6011 + 0.2953 + (-5.3854)(-0.874032049) = 4.707012
  //         + 0.377 + 0.6581 + (-0.0824)(-2) = 0.1648 + 0.7729
  //       = 1.016612;  p = 1 / (1 + e^-1.016612) = 1 / (1 + 0.361819) = 0.734312
  const r = brock({ age: 70, sex: 'female', diameterMm: 20, type: 'part-solid', upperLobe: true, spiculation: true, count: 2, familyHistory: false, emphysema: true });
  close4(r.p, 0.7343, 'p');
});

test('brock 2b: 65 y male, 8 mm ground-glass (non-solid), upper lobe, 5 nodules, family history', () => {
  // s = 0.8^-0.5 - 1.58113883 = 1.118033989 - 1.58113883 = -0.463104841
  // logit = -6.7892 + 0.0287(3) = 0.0861 + 0.2961 + (-5.3854)(-0.463104841) = 2.494005 - 0.1276 + 0.6581
  //         + (-0.0824)(1) = -0.0824
  //       = -3.464895;  p = 1 / (1 + e^3.464895) = 1 / (1 + 31.973108) = 0.030328
  const r = brock({ age: 65, sex: 'male', diameterMm: 8, type: 'ground-glass', upperLobe: true, spiculation: false, count: 5, familyHistory: true, emphysema: false });
  close4(r.p, 0.0303, 'p');
});

test('brock 2a: the issue example without spiculation', () => {
  // model 2a: -6.8071, age 0.0321, female 0.5635, fam 0.3013, emph 0.3462, s -5.6693, upper 0.7116, count -0.0803
  // logit = -6.8071 + 0.5635 + 0.3013 + 0.3462 + (-5.6693)(-0.668267901) = 3.788611 + 0.7116 + (-0.0803)(-3) = 0.2409
  //       = -0.854989;  p = 1 / (1 + e^0.854989) = 1 / (1 + 2.351348) = 0.298387
  const r = brock({ age: 62, sex: 'female', diameterMm: 12, type: 'solid', upperLobe: true, count: 1, familyHistory: true, emphysema: true }, '2a');
  assert.equal(r.model, 'brock-2a');
  close4(r.p, 0.2984, 'p');
  assert.equal(r.inputs.spiculation, undefined);
  assert.deepEqual(r.assumed, [], 'model 2a does not need spiculation, so it is not assumed');
});

test('brock 2b: folding the centring constants gives the intercept 0.2761 of PMC6717521 Table 2', () => {
  // logit = b0 + b_age(age - 62) + b_s((d/10)^-0.5 - 1.58113883) + b_count(count - 4) + ...
  //       = [b0 - 62 b_age - 1.58113883 b_s - 4 b_count] + b_age age + b_s (d/10)^-0.5 + b_count count + ...
  // folded = -6.7892 - 62(0.0287) + 1.58113883(5.3854) + 4(0.0824)
  //        = -6.7892 - 1.7794 + 8.515065 + 0.3296 = 0.276065 -> 0.2761
  const c = BROCK_COEFFICIENTS['2b'];
  const folded = c.intercept - 62 * c.age - BROCK_SIZE_CENTRE * c.size - 4 * c.count;
  close4(folded, 0.2761, 'folded intercept');
  assert.ok(Math.abs(BROCK_SIZE_CENTRE - Math.sqrt(2.5)) < 1e-8, 'centre is (4/10)^-0.5');
  // The folded form gives the same p as the centred form for the first example:
  // 0.2761 + 0.6011 + 0.2961 + 0.2953 - 5.3854(0.912870929) + 0.6581 - 0.0824(1) + 0.7729 + 0.0287(62)
  //   = 1.4686 - 4.916175 + 0.6581 - 0.0824 + 0.7729 + 1.7794 = -0.319575
  const r = brock({ age: 62, sex: 'female', diameterMm: 12, type: 'solid', upperLobe: true, spiculation: true, count: 1, familyHistory: true, emphysema: true });
  close4(r.p, 1 / (1 + Math.exp(0.319575)), 'p from the folded form');
});

test('brock: a missing optional input is reported as assumed, never silently', () => {
  const r = brock({ age: 62, diameterMm: 12 });
  const fields = r.assumed.map((a) => a.field).sort();
  assert.deepEqual(fields, ['count', 'emphysema', 'family_history', 'sex', 'spiculation', 'type', 'upper_lobe']);
  assert.equal(r.inputs.count, 1);
  assert.equal(r.inputs.type, 'solid');
  // The assumed profile is a 62 y male, 12 mm solid, lower lobe, single, no risk factors:
  // logit = -6.7892 + 3.598890 + 0.2472 = -2.943110; p = 1 / (1 + e^2.943110) = 1 / (1 + 18.975) = 0.050063
  close4(r.p, 0.0501, 'p');
});

test('brock: bad inputs are InputErrors naming the field', () => {
  const base = { age: 62, diameterMm: 12 };
  const cases: Array<[Parameters<typeof brock>[0], RegExp]> = [
    [{ ...base, diameterMm: -3 }, /diameter_mm must be greater than 0 .* got -3/],
    [{ ...base, diameterMm: 0 }, /diameter_mm/],
    [{ ...base, age: 300 }, /age must be between 18 and 110 years, got 300/],
    [{ ...base, age: Number.NaN }, /age must be a number/],
    [{ ...base, count: 0 }, /count/],
    [{ ...base, count: 2.5 }, /count must be a whole number/],
    [{ ...base, type: 'cystic' as 'solid' }, /type must be one of solid, part-solid, ground-glass, got "cystic"/],
    [{ ...base, sex: 'other' as 'male' }, /sex must be one of male, female/],
    [{ ...base, emphysema: 1 as unknown as boolean }, /emphysema must be true or false/],
  ];
  for (const [input, message] of cases) {
    assert.throws(() => brock(input), (err: unknown) => err instanceof InputError && message.test(err.message) && err.message.startsWith('brock-2b: '));
  }
});

test('brock: notes flag inputs outside the development range without refusing them', () => {
  const r = brock({ age: 45, diameterMm: 35 });
  assert.equal(r.notes.length, 2);
  assert.ok(r.p > 0 && r.p < 1);
});
