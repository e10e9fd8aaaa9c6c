import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../util/random.js';
import { calibrateIntercept, interceptForPrevalence, riskScore, sampleClinical, sigmoid } from './clinical-model.js';
import { DEFAULT_SYNTH_CONFIG } from './synth-config.js';

const POP = DEFAULT_SYNTH_CONFIG.clinical;
const RISK = DEFAULT_SYNTH_CONFIG.risk;

const phi = (x: number): number => Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);

/** Standard normal CDF via erf (Abramowitz and Stegun 7.1.26, error below 1.5e-7). */
function bigPhi(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - (((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t) * Math.exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

function draws(n: number, seed = 11): ReturnType<typeof sampleClinical>[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => sampleClinical(rng, POP));
}

test('clinical draws follow the NLST eligibility rules and codings', () => {
  for (const c of draws(3000)) {
    assert.ok(Number.isInteger(c.age) && c.age >= 55 && c.age <= 74, `age ${c.age}`);
    assert.ok(c.gender === 1 || c.gender === 2);
    assert.ok([1, 2, 3, 4, 5, 6, 99].includes(c.race), `race ${c.race}`);
    assert.ok(c.cigsmok === 0 || c.cigsmok === 1);
    assert.ok(c.pkyr >= 30, `pkyr ${c.pkyr}`);
    assert.ok(c.smokeyr >= 15 && c.smokeyr <= c.age - 12, `smokeyr ${c.smokeyr} at age ${c.age}`);
    // pkyr = years x cigarettes a day / 20 with a plausible daily count (NLST definition).
    const cpd = (c.pkyr * 20) / c.smokeyr;
    assert.ok(cpd > 5 && cpd < 120, `cigarettes per day ${cpd}`);
  }
});

test('clinical marginals match the configured population within sampling error', () => {
  const d = draws(6000);
  const mean = (f: (c: (typeof d)[number]) => number): number => d.reduce((a, c) => a + f(c), 0) / d.length;
  // Mean of a normal truncated to [lo, hi]: mu + sd (phi(a) - phi(b)) / (Phi(b) - Phi(a)).
  const [lo, hi] = POP.ageRange;
  const a = (lo - POP.ageMean) / POP.ageSd;
  const b = (hi - POP.ageMean) / POP.ageSd;
  const truncatedMean = POP.ageMean + (POP.ageSd * (phi(a) - phi(b))) / (bigPhi(b) - bigPhi(a));
  assert.ok(Math.abs(mean((c) => c.age) - truncatedMean) < 0.25, `mean age ${mean((c) => c.age)} vs ${truncatedMean}`);
  const within = (p: number, q: number): boolean => Math.abs(p - q) < 4 * Math.sqrt((q * (1 - q)) / d.length);
  assert.ok(within(mean((c) => (c.gender === 1 ? 1 : 0)), POP.maleProb));
  assert.ok(within(mean((c) => c.cigsmok), POP.currentSmokerProb));
  assert.ok(within(mean((c) => c.famhist), POP.famhistProb));
  assert.ok(within(mean((c) => c.emphysema), POP.emphysemaProb));
  assert.ok(within(mean((c) => (c.race === 1 ? 1 : 0)), POP.raceProbs[0]!));
});

test('the risk score adds the documented coefficients', () => {
  const base = { age: 62, gender: 1, race: 1, cigsmok: 0, smokeyr: 40, pkyr: 50, famhist: 0, emphysema: 0 } as const;
  assert.equal(riskScore(base, RISK), 0);
  assert.ok(Math.abs(riskScore({ ...base, age: 72 }, RISK) - 10 * RISK.age) < 1e-12);
  assert.ok(Math.abs(riskScore({ ...base, gender: 2, race: 2, famhist: 1 }, RISK) - (RISK.female + RISK.black + RISK.famhist)) < 1e-12);
  assert.ok(Math.abs(riskScore({ ...base, race: 3, emphysema: 1, cigsmok: 1 }, RISK) - (RISK.asian + RISK.emphysema + RISK.currentSmoker)) < 1e-12);
  assert.ok(Math.abs(riskScore({ ...base, pkyr: 60, smokeyr: 45 }, RISK) - (10 * RISK.packYears + 5 * RISK.smokeYears)) < 1e-12);
});

test('the intercept is solved so that the mean risk equals the prevalence', () => {
  const scores = draws(4000).map((c) => riskScore(c, RISK));
  for (const p of [0.1, 0.35, 0.6]) {
    const b0 = interceptForPrevalence(scores, p);
    const mean = scores.reduce((a, s) => a + sigmoid(b0 + s), 0) / scores.length;
    assert.ok(Math.abs(mean - p) < 1e-9, `prevalence ${p}: mean risk ${mean}`);
  }
  // Constant scores: the intercept is the logit of the prevalence.
  assert.ok(Math.abs(interceptForPrevalence([0, 0, 0], 0.35) - Math.log(0.35 / 0.65)) < 1e-9);
  assert.throws(() => interceptForPrevalence(scores, 1), RangeError);
});

test('calibrateIntercept is deterministic per seed and grows with the prevalence', () => {
  const a = calibrateIntercept(5, POP, RISK, 0.35);
  assert.equal(calibrateIntercept(5, POP, RISK, 0.35), a);
  assert.ok(calibrateIntercept(5, POP, RISK, 0.5) > a);
});
