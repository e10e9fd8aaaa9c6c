import { InputError } from '../util/errors.js';
import { checkBoolean, checkChoice, checkNumber } from './field-check.js';
import { logistic } from './risk-result.js';
import type { Assumption, RiskResult } from './risk-result.js';

/**
 * PLCOm2012: six-year probability of lung cancer of an ever-smoker, Tammemagi et al., "Selection
 * criteria for lung-cancer screening", N Engl J Med 2013;368:728-736 (coefficients as in
 * ../shared/docs/clinical-models.md):
 *
 *   logit = -4.532506 + 0.0778868 (age - 62) + race - 0.0812744 (education - 4)
 *           - 0.0274194 (BMI - 27) + 0.4589971 personal cancer history + 0.587185 family history
 *           + 0.3553063 COPD + 0.2597431 current smoker
 *           - 1.822606 (10 / cigarettes per day - 0.4021541613)
 *           + 0.0317321 (smoking years - 27) - 0.0308572 (years since quitting - 10)
 *
 * Race terms: white 0, black 0.3944778, hispanic -0.7434744, asian -0.466585,
 * American Indian/Alaska Native 0, Native Hawaiian/Pacific Islander 1.027152. NOTE: the project's
 * clinical-models.md swaps the last two (1.027152 for American Indian/Alaska Native); the published
 * model and most independent implementations give 1.027152 to Native Hawaiian/Pacific Islander
 * (odds ratio 2.79), which is what is used here (see the report of issue 8).
 *
 * Education is the PLCO 6-level scale: 1 less than high school, 2 high-school graduate, 3 post
 * high-school training, 4 some college, 5 college graduate, 6 postgraduate.
 * Inputs not given are assumed and listed in `assumed`: race white, education 4 and BMI 27 (the
 * centring values, so their terms vanish), cancer history, family history and COPD absent, former
 * smoker, and 0 years since quitting for a former smoker (the highest-risk reading).
 * This is a person's risk of developing lung cancer, not the malignancy of a given nodule.
 */
export interface PlcoInputs {
  /** Years. */
  readonly age: number;
  readonly race?: PlcoRace;
  /** 1 to 6, see above. */
  readonly education?: number;
  /** Body-mass index, kg/m^2. */
  readonly bmi?: number;
  /** Personal history of cancer. */
  readonly cancerHistory?: boolean;
  /** Family history of lung cancer. */
  readonly familyHistory?: boolean;
  readonly copd?: boolean;
  readonly smoking?: 'current' | 'former';
  /** Average cigarettes per day. */
  readonly cigarettesPerDay: number;
  /** Years smoked. */
  readonly smokingYears: number;
  /** Years since quitting (0 for a current smoker). */
  readonly yearsSinceQuit?: number;
}

export const PLCO_RACES = ['white', 'black', 'hispanic', 'asian', 'american-indian-alaska-native', 'native-hawaiian-pacific-islander'] as const;
export type PlcoRace = (typeof PLCO_RACES)[number];

export interface PlcoUsedInputs {
  readonly age: number;
  readonly race: PlcoRace;
  readonly education: number;
  readonly bmi: number;
  readonly cancerHistory: boolean;
  readonly familyHistory: boolean;
  readonly copd: boolean;
  readonly smoking: 'current' | 'former';
  readonly cigarettesPerDay: number;
  readonly smokingYears: number;
  readonly yearsSinceQuit: number;
}

/** Tammemagi et al. 2013 (see the docstring of `plcoM2012`). */
export const PLCO_COEFFICIENTS = {
  intercept: -4.532506,
  age: 0.0778868,
  education: -0.0812744,
  bmi: -0.0274194,
  cancerHistory: 0.4589971,
  familyHistory: 0.587185,
  copd: 0.3553063,
  currentSmoker: 0.2597431,
  intensity: -1.822606,
  intensityCentre: 0.4021541613,
  smokingYears: 0.0317321,
  yearsSinceQuit: -0.0308572,
  race: {
    white: 0,
    black: 0.3944778,
    hispanic: -0.7434744,
    asian: -0.466585,
    'american-indian-alaska-native': 0,
    'native-hawaiian-pacific-islander': 1.027152,
  } satisfies Record<PlcoRace, number>,
} as const;

/** Six-year lung-cancer probability by PLCOm2012. */
export function plcoM2012(input: PlcoInputs): RiskResult<PlcoUsedInputs> {
  const model = 'plcom2012';
  const assumed: Assumption[] = [];
  const flag = (field: string, value: boolean | undefined): boolean => {
    if (value === undefined) {
      assumed.push({ field, value: false, note: `${field} not given: assumed absent` });
      return false;
    }
    return checkBoolean(model, field, value);
  };
  const age = checkNumber(model, 'age', input.age, { min: 18, max: 110, unit: 'years' });
  let race: PlcoRace = 'white';
  if (input.race === undefined) assumed.push({ field: 'race', value: 'white', note: 'race not given: assumed white (term 0)' });
  else race = checkChoice(model, 'race', input.race, PLCO_RACES);
  let education = 4;
  if (input.education === undefined) assumed.push({ field: 'education', value: 4, note: 'education not given: assumed level 4, the centring value (term 0)' });
  else education = checkNumber(model, 'education', input.education, { min: 1, max: 6, unit: '(PLCO level)', integer: true });
  let bmi = 27;
  if (input.bmi === undefined) assumed.push({ field: 'bmi', value: 27, note: 'bmi not given: assumed 27 kg/m^2, the centring value (term 0)' });
  else bmi = checkNumber(model, 'bmi', input.bmi, { min: 10, max: 80, unit: 'kg/m^2' });
  const cancerHistory = flag('cancer_history', input.cancerHistory);
  const familyHistory = flag('family_history', input.familyHistory);
  const copd = flag('copd', input.copd);
  let smoking: 'current' | 'former' = 'former';
  if (input.smoking === undefined) assumed.push({ field: 'smoking', value: 'former', note: 'smoking not given: current-smoker term assumed absent (former)' });
  else smoking = checkChoice(model, 'smoking', input.smoking, ['current', 'former'] as const);
  const cigarettesPerDay = checkNumber(model, 'cigarettes_per_day', input.cigarettesPerDay, { min: 0, max: 200, unit: 'cigarettes a day', minExclusive: true });
  const smokingYears = checkNumber(model, 'smoking_years', input.smokingYears, { min: 0, max: 100, unit: 'years' });
  let yearsSinceQuit = 0;
  if (input.yearsSinceQuit !== undefined) {
    yearsSinceQuit = checkNumber(model, 'years_since_quit', input.yearsSinceQuit, { min: 0, max: 100, unit: 'years' });
    if (smoking === 'current' && yearsSinceQuit > 0) {
      throw new InputError(`${model}: years_since_quit must be 0 for a current smoker, got ${yearsSinceQuit}`, { rule: 'inconsistent' });
    }
  } else if (smoking === 'former') {
    assumed.push({ field: 'years_since_quit', value: 0, note: 'years_since_quit not given for a former smoker: assumed 0 (the highest-risk reading)' });
  }
  if (smokingYears + yearsSinceQuit > age) {
    throw new InputError(`${model}: smoking_years + years_since_quit (${smokingYears + yearsSinceQuit}) cannot exceed age ${age}`, { rule: 'inconsistent' });
  }
  const notes: string[] = [];
  if (age < 55 || age > 74) notes.push(`age ${age} is outside the PLCO development cohort (55 to 74 years)`);

  const c = PLCO_COEFFICIENTS;
  const logit =
    c.intercept +
    c.age * (age - 62) +
    c.race[race] +
    c.education * (education - 4) +
    c.bmi * (bmi - 27) +
    c.cancerHistory * (cancerHistory ? 1 : 0) +
    c.familyHistory * (familyHistory ? 1 : 0) +
    c.copd * (copd ? 1 : 0) +
    c.currentSmoker * (smoking === 'current' ? 1 : 0) +
    c.intensity * (10 / cigarettesPerDay - c.intensityCentre) +
    c.smokingYears * (smokingYears - 27) +
    c.yearsSinceQuit * (yearsSinceQuit - 10);
  return {
    model,
    p: logistic(logit),
    inputs: { age, race, education, bmi, cancerHistory, familyHistory, copd, smoking, cigarettesPerDay, smokingYears, yearsSinceQuit },
    assumed,
    notes,
  };
}
