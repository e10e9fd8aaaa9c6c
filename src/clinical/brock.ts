import { checkBoolean, checkChoice, checkNumber } from './field-check.js';
import { logistic } from './risk-result.js';
import type { Assumption, RiskResult } from './risk-result.js';

/**
 * Brock University (PanCan) probability that a screen-detected lung nodule is malignant, the two
 * full logistic models of McWilliams et al., "Probability of cancer in pulmonary nodules detected on
 * first screening CT", N Engl J Med 2013;369:910-919 (coefficients as in
 * ../shared/docs/clinical-models.md):
 *
 *   p = 1 / (1 + exp(-logit)),  s = (d / 10)^(-0.5) - 1.58113883   (d = nodule diameter, mm)
 *   logit = b0 + b_age (age - 62) + b_female female + b_fam family history + b_emph emphysema
 *           + b_s s + b_ps part-solid + b_ns non-solid + b_upper upper lobe
 *           + b_count (nodule count - 4) [+ b_spic spiculation, model 2b only]
 *
 * Model 2b (with spiculation): b0 -6.7892, age 0.0287, female 0.6011, family history 0.2961,
 * emphysema 0.2953, s -5.3854, part-solid 0.377, non-solid -0.1276, upper lobe 0.6581,
 * count -0.0824, spiculation 0.7729. Folding its centring constants gives the intercept 0.2761 of
 * the uncentred form printed in PMC6717521 Table 2 (checked in the tests).
 * Model 2a (without spiculation): b0 -6.8071, age 0.0321, female 0.5635, family history 0.3013,
 * emphysema 0.3462, s -5.6693, part-solid 0.3395, non-solid -0.3055, upper lobe 0.7116,
 * count -0.0803.
 * The parsimonious models are not shipped: their coefficients were not verified from a source.
 *
 * Inputs not given are assumed absent and listed in `assumed`: sex male (female = 0), family
 * history, emphysema, upper lobe and spiculation no, type solid, nodule count 1.
 */
export interface BrockInputs {
  /** Years. */
  readonly age: number;
  readonly sex?: 'male' | 'female';
  /** Nodule diameter in mm (the PanCan study used the longest diameter). */
  readonly diameterMm: number;
  /** Brock's non-solid nodule is "ground-glass" here. */
  readonly type?: BrockNoduleType;
  readonly upperLobe?: boolean;
  readonly spiculation?: boolean;
  /** Number of nodules on the scan, this one included. */
  readonly count?: number;
  /** A first-degree relative had lung cancer. */
  readonly familyHistory?: boolean;
  readonly emphysema?: boolean;
}

export type BrockNoduleType = 'solid' | 'part-solid' | 'ground-glass';
export type BrockVariant = '2a' | '2b';

/** The inputs as the model used them, assumed values filled in. */
export interface BrockUsedInputs {
  readonly age: number;
  readonly sex: 'male' | 'female';
  readonly diameterMm: number;
  readonly type: BrockNoduleType;
  readonly upperLobe: boolean;
  /** Absent (undefined) for model 2a, which does not use it. */
  readonly spiculation: boolean | undefined;
  readonly count: number;
  readonly familyHistory: boolean;
  readonly emphysema: boolean;
}

interface BrockCoefficients {
  readonly intercept: number;
  readonly age: number;
  readonly female: number;
  readonly familyHistory: number;
  readonly emphysema: number;
  readonly size: number;
  readonly partSolid: number;
  readonly nonSolid: number;
  readonly upperLobe: number;
  readonly count: number;
  readonly spiculation: number;
}

/** McWilliams et al. 2013, full models 2a and 2b (see the docstring of `brock`). */
export const BROCK_COEFFICIENTS: Readonly<Record<BrockVariant, BrockCoefficients>> = {
  '2b': {
    intercept: -6.7892, age: 0.0287, female: 0.6011, familyHistory: 0.2961, emphysema: 0.2953, size: -5.3854,
    partSolid: 0.377, nonSolid: -0.1276, upperLobe: 0.6581, count: -0.0824, spiculation: 0.7729,
  },
  '2a': {
    intercept: -6.8071, age: 0.0321, female: 0.5635, familyHistory: 0.3013, emphysema: 0.3462, size: -5.6693,
    partSolid: 0.3395, nonSolid: -0.3055, upperLobe: 0.7116, count: -0.0803, spiculation: 0,
  },
};

/** The size transform's centring constant: (4 / 10)^(-0.5) = sqrt(2.5). */
export const BROCK_SIZE_CENTRE = 1.58113883;

const TYPES: readonly BrockNoduleType[] = ['solid', 'part-solid', 'ground-glass'];

/** Probability of malignancy by the Brock full model 2b (default) or 2a. */
export function brock(input: BrockInputs, variant: BrockVariant = '2b'): RiskResult<BrockUsedInputs> {
  const model = `brock-${variant}`;
  const c = BROCK_COEFFICIENTS[variant];
  if (c === undefined) throw new RangeError(`brock: unknown variant ${String(variant)}`);
  const assumed: Assumption[] = [];
  const notes: string[] = [];
  const flag = (field: string, value: boolean | undefined): boolean => {
    if (value === undefined) {
      assumed.push({ field, value: false, note: `${field} not given: assumed absent` });
      return false;
    }
    return checkBoolean(model, field, value);
  };

  const age = checkNumber(model, 'age', input.age, { min: 18, max: 110, unit: 'years' });
  const diameterMm = checkNumber(model, 'diameter_mm', input.diameterMm, { min: 0, max: 100, unit: 'mm', minExclusive: true });
  let sex: 'male' | 'female';
  if (input.sex === undefined) {
    sex = 'male';
    assumed.push({ field: 'sex', value: 'male', note: 'sex not given: female term assumed absent (male)' });
  } else {
    sex = checkChoice(model, 'sex', input.sex, ['male', 'female'] as const);
  }
  let type: BrockNoduleType;
  if (input.type === undefined) {
    type = 'solid';
    assumed.push({ field: 'type', value: 'solid', note: 'type not given: part-solid and non-solid terms assumed absent (solid)' });
  } else {
    type = checkChoice(model, 'type', input.type, TYPES);
  }
  let count: number;
  if (input.count === undefined) {
    count = 1;
    assumed.push({ field: 'count', value: 1, note: 'count not given: assumed this nodule is the only one' });
  } else {
    count = checkNumber(model, 'count', input.count, { min: 1, max: 100, unit: 'nodules', integer: true });
  }
  const upperLobe = flag('upper_lobe', input.upperLobe);
  const familyHistory = flag('family_history', input.familyHistory);
  const emphysema = flag('emphysema', input.emphysema);
  let spiculation: boolean | undefined;
  if (variant === '2b') {
    spiculation = flag('spiculation', input.spiculation);
  } else if (input.spiculation !== undefined) {
    notes.push('spiculation is not an input of model 2a and was not used');
  }
  if (age < 50 || age > 75) notes.push(`age ${age} is outside the PanCan development cohort (50 to 75 years)`);
  if (diameterMm > 30) notes.push(`diameter ${diameterMm} mm is over 30 mm: a mass, not a nodule`);

  const s = (diameterMm / 10) ** -0.5 - BROCK_SIZE_CENTRE;
  const logit =
    c.intercept +
    c.age * (age - 62) +
    c.female * (sex === 'female' ? 1 : 0) +
    c.familyHistory * (familyHistory ? 1 : 0) +
    c.emphysema * (emphysema ? 1 : 0) +
    c.size * s +
    c.partSolid * (type === 'part-solid' ? 1 : 0) +
    c.nonSolid * (type === 'ground-glass' ? 1 : 0) +
    c.upperLobe * (upperLobe ? 1 : 0) +
    c.count * (count - 4) +
    c.spiculation * (spiculation === true ? 1 : 0);
  return {
    model,
    p: logistic(logit),
    inputs: { age, sex, diameterMm, type, upperLobe, spiculation, count, familyHistory, emphysema },
    assumed,
    notes,
  };
}
