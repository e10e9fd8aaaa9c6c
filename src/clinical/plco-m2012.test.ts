import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../util/errors.js';
import { plcoM2012 } from './plco-m2012.js';

function close4(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) <= 5e-5, `${actual} is not ${expected} to 4 decimals`);
}

// Tammemagi et al. 2013: logit = -4.532506 + 0.0778868(age-62) + race - 0.0812744(edu-4) - 0.0274194(bmi-27)
//   + 0.4589971 cancer + 0.587185 family + 0.3553063 copd + 0.2597431 current
//   - 1.822606(10/cpd - 0.4021541613) + 0.0317321(years-27) - 0.0308572(quit-10)

test('plcom2012: the reference person (62 y white current smoker, 20 a day for 27 years)', () => {
  // every centred term is 0 except: current 0.2597431; intensity -1.822606(0.5 - 0.4021541613)
  //   = -1.822606(0.0978458387) = -0.178334; quit -0.0308572(0 - 10) = 0.308572
  // logit = -4.532506 + 0.2597431 - 0.178334 + 0.308572 = -4.142525
  // p = 1 / (1 + e^4.142525) = 1 / (1 + 62.961619) = 0.015634
  const r = plcoM2012({ age: 62, race: 'white', education: 4, bmi: 27, cancerHistory: false, familyHistory: false, copd: false, smoking: 'current', cigarettesPerDay: 20, smokingYears: 27, yearsSinceQuit: 0 });
  close4(r.p, 0.0156);
  assert.deepEqual(r.assumed, []);
});

test('plcom2012: 70 y black former smoker with every risk factor', () => {
  // age 0.0778868(8) = 0.623094; black 0.394478; edu 2: -0.0812744(-2) = 0.162549; bmi 24: -0.0274194(-3) = 0.082258
  // cancer 0.458997; family 0.587185; copd 0.355306; current 0
  // intensity 30/day: 10/30 - 0.4021541613 = -0.068820828, x -1.822606 = 0.125433
  // years 40: 0.0317321(13) = 0.412517; quit 5: -0.0308572(-5) = 0.154286
  // logit = -4.532506 + 0.623094 + 0.394478 + 0.162549 + 0.082258 + 0.458997 + 0.587185 + 0.355306
  //         + 0.125433 + 0.412517 + 0.154286 = -1.176402
  // p = 1 / (1 + e^1.176402) = 1 / (1 + 3.242686) = 0.235700
  const r = plcoM2012({ age: 70, race: 'black', education: 2, bmi: 24, cancerHistory: true, familyHistory: true, copd: true, smoking: 'former', cigarettesPerDay: 30, smokingYears: 40, yearsSinceQuit: 5 });
  close4(r.p, 0.2357);
});

test('plcom2012: 58 y Native Hawaiian/Pacific Islander postgraduate, light former smoker', () => {
  // age -0.311547; race 1.027152; edu 6: -0.162549; bmi 31: -0.109678; intensity 10/day: (1 - 0.4021541613)
  //   x -1.822606 = -1.089637; years 20: -0.222125; quit 15: -0.154286
  // logit = -4.532506 - 0.311547 + 1.027152 - 0.162549 - 0.109678 - 1.089637 - 0.222125 - 0.154286 = -5.555176
  // p = 1 / (1 + e^5.555176) = 1 / (1 + 258.572395) = 0.003852
  const r = plcoM2012({ age: 58, race: 'native-hawaiian-pacific-islander', education: 6, bmi: 31, smoking: 'former', cigarettesPerDay: 10, smokingYears: 20, yearsSinceQuit: 15, cancerHistory: false, familyHistory: false, copd: false });
  close4(r.p, 0.0039);
  assert.ok(Math.abs(r.p - 0.0038525) < 5e-7);
});

test('plcom2012: unstated inputs are assumed at the centring values or absent, and listed', () => {
  const r = plcoM2012({ age: 62, cigarettesPerDay: 20, smokingYears: 27 });
  assert.deepEqual(r.assumed.map((a) => a.field), ['race', 'education', 'bmi', 'cancer_history', 'family_history', 'copd', 'smoking', 'years_since_quit']);
  // former smoker, quit 0: logit = -4.532506 - 0.178334 + 0.308572 = -4.402268; p = 1 / (1 + 81.635809) = 0.012101
  close4(r.p, 0.0121);
});

test('plcom2012: bad and inconsistent inputs name the field', () => {
  const base = { age: 62, cigarettesPerDay: 20, smokingYears: 27 };
  const cases: Array<[Parameters<typeof plcoM2012>[0], RegExp]> = [
    [{ ...base, cigarettesPerDay: 0 }, /cigarettes_per_day must be greater than 0/],
    [{ ...base, education: 7 }, /education must be between 1 and 6/],
    [{ ...base, race: 'martian' as 'white' }, /race must be one of/],
    [{ ...base, smoking: 'current', yearsSinceQuit: 3 }, /years_since_quit must be 0 for a current smoker/],
    [{ ...base, smokingYears: 60, yearsSinceQuit: 10 }, /cannot exceed age 62/],
  ];
  for (const [input, message] of cases) {
    assert.throws(() => plcoM2012(input), (e: unknown) => e instanceof InputError && message.test(e.message) && e.message.startsWith('plcom2012: '));
  }
});
