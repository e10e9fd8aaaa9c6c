import { checkBoolean, checkNumber } from './field-check.js';
import { logistic } from './risk-result.js';
import type { Assumption, RiskResult } from './risk-result.js';

/**
 * Mayo Clinic probability that a solitary pulmonary nodule is malignant: Swensen et al., "The
 * probability of malignancy in solitary pulmonary nodules. Application to small radiologically
 * indeterminate nodules", Arch Intern Med 1997;157:849-855 (coefficients as in
 * ../shared/docs/clinical-models.md):
 *
 *   x = -6.8272 + 0.0391 age + 0.7917 smoker + 1.3388 cancer + 0.1274 diameter
 *       + 1.0407 spiculation + 0.7838 upper lobe;   p = exp(x) / (1 + exp(x))
 *
 * smoker = current or former smoker; cancer = extrathoracic cancer diagnosed more than 5 years
 * before; diameter in mm. Inputs not given are assumed absent (0) and listed in `assumed`.
 */
export interface MayoInputs {
  /** Years. */
  readonly age: number;
  /** Current or former smoker. */
  readonly smoker?: boolean;
  /** Extrathoracic cancer diagnosed more than 5 years before. */
  readonly cancerHistory?: boolean;
  /** Nodule diameter in mm. */
  readonly diameterMm: number;
  readonly spiculation?: boolean;
  readonly upperLobe?: boolean;
}

export interface MayoUsedInputs {
  readonly age: number;
  readonly smoker: boolean;
  readonly cancerHistory: boolean;
  readonly diameterMm: number;
  readonly spiculation: boolean;
  readonly upperLobe: boolean;
}

/** Swensen et al. 1997 (see the docstring of `mayo`). */
export const MAYO_COEFFICIENTS = {
  intercept: -6.8272,
  age: 0.0391,
  smoker: 0.7917,
  cancerHistory: 1.3388,
  diameterMm: 0.1274,
  spiculation: 1.0407,
  upperLobe: 0.7838,
} as const;

/** Probability of malignancy by the Mayo Clinic model. */
export function mayo(input: MayoInputs): RiskResult<MayoUsedInputs> {
  const model = 'mayo';
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
  const smoker = flag('smoker', input.smoker);
  const cancerHistory = flag('cancer_history', input.cancerHistory);
  const spiculation = flag('spiculation', input.spiculation);
  const upperLobe = flag('upper_lobe', input.upperLobe);
  if (diameterMm < 4 || diameterMm > 30) notes.push(`diameter ${diameterMm} mm is outside the 4 to 30 mm nodules the model was built on`);

  const c = MAYO_COEFFICIENTS;
  const x =
    c.intercept +
    c.age * age +
    c.smoker * (smoker ? 1 : 0) +
    c.cancerHistory * (cancerHistory ? 1 : 0) +
    c.diameterMm * diameterMm +
    c.spiculation * (spiculation ? 1 : 0) +
    c.upperLobe * (upperLobe ? 1 : 0);
  return { model, p: logistic(x), inputs: { age, smoker, cancerHistory, diameterMm, spiculation, upperLobe }, assumed, notes };
}
