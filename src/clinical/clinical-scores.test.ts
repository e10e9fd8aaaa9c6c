import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLINICAL_RULES, CLINICAL_RULE_INFO, clinicalScores } from './clinical-scores.js';
import type { ClinicalRecord } from './clinical-scores.js';

function close4(actual: number | null, expected: number): void {
  assert.ok(actual !== null && Math.abs(actual - expected) <= 5e-5, `${actual} is not ${expected} to 4 decimals`);
}

// An NLST-coded subject: 61 y at T0, female (2), family history, emphysema, current smoker, 40
// pack-years over 40 years, one spiculated upper-lobe solid nodule 10 mm / 300 mm^3 at T0 and
// 12 mm / 600 mm^3 at T1, 365.25 days later (age 62 at T1).
const subject: ClinicalRecord = {
  subjectId: 's1',
  age: 61,
  gender: 2,
  race: 1,
  famhist: 1,
  emphysema: 1,
  cigsmok: 1,
  pkyr: 40,
  smokeyr: 40,
  upperLobe: 1,
  spiculation: 1,
  noduleCount: 1,
  days: 365.25,
  t0: { diameterMm: 10, volumeMm3: 300, type: 'solid' },
  t1: { diameterMm: 12, volumeMm3: 600, type: 'solid' },
};

test('clinical scores: every rule scores an NLST-coded subject, higher = more suspicious', () => {
  const s = clinicalScores(subject);
  assert.deepEqual(Object.keys(s).sort(), [...CLINICAL_RULES].sort());
  // brock-2b at T1 is the issue example (62 y female, 12 mm solid, upper, spiculated, 1 nodule,
  // family history, emphysema), worked by hand in brock.test.ts: p = 0.420771
  close4(s['brock-2b'].score, 0.4208);
  assert.deepEqual(s['brock-2b'].assumed, []);
  // brock-2a of the same profile (brock.test.ts): 0.298387
  close4(s['brock-2a'].score, 0.2984);
  // mayo: x = -6.8272 + 0.0391(62) + 0.7917 (NLST smokers are all current or former) + 0.1274(12)
  //          + 1.0407 + 0.7838 = -6.8272 + 2.4242 + 0.7917 + 1.5288 + 1.0407 + 0.7838 = -0.258
  //       p = 1 / (1 + e^0.258) = 1 / (1 + 1.294339) = 0.435855; extrathoracic cancer is not in the cohort: assumed
  close4(s.mayo.score, 0.4359);
  assert.deepEqual(s.mayo.assumed.map((a) => a.field), ['cancer_history']);
  // lung-rads: solid 10.0 -> 12.0 mm (+2.0 > 1.5: growing), >= 8 mm -> 4B, rank 5
  assert.equal(s['lung-rads'].score, 5);
  assert.match(s['lung-rads'].detail, /^category 4B: growing solid nodule/);
  // vdt: 300 -> 600 mm^3 in 365.25 days: one doubling, rate = 1 / 365.25 per day
  close4((s.vdt.score ?? 0) * 365.25, 1);
  assert.match(s.vdt.detail, /VDT 365 days from volumes: suspicious/);
  // plcom2012 at baseline age 61, white, family history, current, 20 a day (40 x 20 / 40), 40 years:
  // -4.532506 - 0.077887 + 0.587185 + 0.259743 - 0.178334 + 0.0317321(13) = 0.412517 + 0.308572
  //   = -3.220710; p = 1 / (1 + e^3.220710) = 1 / (1 + 25.045892) = 0.038394
  close4(s.plcom2012.score, 0.0384);
  assert.deepEqual(s.plcom2012.assumed.map((a) => a.field), ['education', 'bmi', 'cancer_history', 'copd']);
});

test('clinical scores: missing inputs give a null score that says what is missing, never a silent drop', () => {
  const s = clinicalScores({ subjectId: 's2', t0: { diameterMm: 7, type: 'solid' }, t1: {} });
  assert.equal(s['brock-2b'].score, null);
  assert.deepEqual(s['brock-2b'].missing, ['age']);
  assert.equal(s.vdt.score, null);
  assert.deepEqual(s.vdt.missing, ['days', 'volume_mm3 or diameter_mm at T0 and T1']);
  assert.equal(s.plcom2012.score, null);
  // lung-rads reads the only measurement as a baseline screen, and says so
  assert.equal(s['lung-rads'].score, 3);
  assert.equal(s['lung-rads'].assumed[0]?.field, 'prior');
});

test('clinical scores: vdt falls back to diameters; shrinking ranks below stable', () => {
  const grow = clinicalScores({ subjectId: 'a', days: 200, t0: { diameterMm: 8 }, t1: { diameterMm: 10 } });
  // 1/VDT = 3 ln(10/8) / (200 ln 2) = 0.669431 / 138.629436 = 0.0048289 per day (VDT 207.09 days)
  close4((grow.vdt.score ?? 0) * 1000, 4.8289);
  const shrink = clinicalScores({ subjectId: 'b', days: 200, t0: { diameterMm: 10 }, t1: { diameterMm: 8 } });
  const same = clinicalScores({ subjectId: 'c', days: 200, t0: { diameterMm: 10 }, t1: { diameterMm: 10 } });
  assert.ok((shrink.vdt.score ?? 0) < (same.vdt.score ?? 1));
  assert.equal(same.vdt.score, 0);
});

test('clinical scores: a bad code or out-of-range value is reported per rule, not thrown', () => {
  const s = clinicalScores({ ...subject, gender: 3 });
  assert.equal(s['brock-2b'].score, null);
  assert.match(s['brock-2b'].error ?? '', /gender must be 1 \(male\) or 2 \(female\), got 3/);
  assert.ok(s.mayo.score !== null, 'mayo does not use gender');
  const big = clinicalScores({ ...subject, age: 300 });
  assert.match(big['brock-2b'].error ?? '', /age must be between 18 and 110/);
});

test('clinical scores: unknown NLST race is assumed white and listed; thresholds are documented', () => {
  const s = clinicalScores({ ...subject, race: 99 });
  assert.equal(s.plcom2012.assumed[0]?.field, 'race');
  for (const rule of CLINICAL_RULES) assert.ok(CLINICAL_RULE_INFO[rule].thresholdSource.length > 0);
});
