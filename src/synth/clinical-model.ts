import { Rng } from '../util/random.js';
import type { ClinicalPopulation, RiskModel } from './synth-config.js';
import { drawCategorical, logNormal, truncatedNormal } from './sampling.js';

/** One subject's clinical columns in NLST coding (../shared/docs/cohort-format.md). */
export interface ClinicalRecord {
  readonly age: number;
  /** 1 male, 2 female. */
  readonly gender: 1 | 2;
  /** 1 White, 2 Black, 3 Asian, 4 AIAN, 5 NHPI, 6 more than one, 99 unknown. */
  readonly race: number;
  /** 1 current, 0 former smoker. */
  readonly cigsmok: 0 | 1;
  readonly smokeyr: number;
  readonly pkyr: number;
  readonly famhist: 0 | 1;
  readonly emphysema: 0 | 1;
}

const RACE_CODES = [1, 2, 3, 4, 5, 6, 99] as const;

/**
 * Draws one screening participant. pkyr follows the NLST definition, years smoked x cigarettes per
 * day / 20 (../shared/docs/clinical-models.md), and the eligibility floor of 30 pack-years is met by
 * redrawing the daily cigarettes (Aberle et al., NEJM 2011).
 */
export function sampleClinical(rng: Rng, pop: ClinicalPopulation): ClinicalRecord {
  const age = Math.round(truncatedNormal(rng, pop.ageMean, pop.ageSd, pop.ageRange[0], pop.ageRange[1]));
  const gender = rng.bernoulli(pop.maleProb) ? 1 : 2;
  const race = RACE_CODES[drawCategorical(rng, pop.raceProbs)] ?? 99;
  const cigsmok = rng.bernoulli(pop.currentSmokerProb) ? 1 : 0;
  const smokeyr = Math.round(truncatedNormal(rng, pop.smokeYearsMean, pop.smokeYearsSd, 15, age - 12));
  let cpd = 0;
  for (let t = 0; t < 50; t++) {
    cpd = logNormal(rng, pop.cigsPerDayMedian, pop.cigsPerDayLogSigma);
    if ((smokeyr * cpd) / 20 >= pop.minPackYears) break;
  }
  const pkyr = Math.max(pop.minPackYears, Math.round(((smokeyr * cpd) / 20) * 10) / 10);
  const famhist = rng.bernoulli(pop.famhistProb) ? 1 : 0;
  const emphysema = rng.bernoulli(pop.emphysemaProb) ? 1 : 0;
  return { age, gender, race, cigsmok, smokeyr, pkyr, famhist, emphysema };
}

/** The risk model's linear predictor without its intercept (documented in synth-config.ts). */
export function riskScore(c: ClinicalRecord, m: RiskModel): number {
  return (
    m.age * (c.age - 62) +
    (c.gender === 2 ? m.female : 0) +
    (c.race === 2 ? m.black : 0) +
    (c.race === 3 ? m.asian : 0) +
    m.currentSmoker * c.cigsmok +
    m.smokeYears * (c.smokeyr - 40) +
    m.packYears * (c.pkyr - 50) +
    m.famhist * c.famhist +
    m.emphysema * c.emphysema
  );
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * Intercept b0 such that mean(sigmoid(b0 + score)) over the scores equals the prevalence, by
 * bisection (the mean is strictly increasing in b0).
 */
export function interceptForPrevalence(scores: readonly number[], prevalence: number): number {
  if (!(prevalence > 0 && prevalence < 1)) throw new RangeError(`interceptForPrevalence: prevalence must be in (0, 1), got ${prevalence}`);
  let lo = -30;
  let hi = 30;
  for (let it = 0; it < 100; it++) {
    const mid = (lo + hi) / 2;
    let mean = 0;
    for (const s of scores) mean += sigmoid(mid + s);
    mean /= scores.length;
    if (mean < prevalence) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * The calibrated intercept for a population, risk model and prevalence: computed on a fixed sample
 * drawn from its own stream, so every subject's label depends only on the seed and its index, not
 * on the cohort size.
 */
export function calibrateIntercept(seed: number, pop: ClinicalPopulation, risk: RiskModel, prevalence: number): number {
  const rng = new Rng(seed).fork('risk-calibration');
  const scores: number[] = [];
  for (let i = 0; i < risk.calibrationSamples; i++) scores.push(riskScore(sampleClinical(rng, pop), risk));
  return interceptForPrevalence(scores, prevalence);
}
