import { CsfnetError, InputError } from '../util/errors.js';
import { brock } from './brock.js';
import type { BrockNoduleType } from './brock.js';
import { lungRads } from './lung-rads.js';
import type { LungRadsPrior } from './lung-rads.js';
import { mayo } from './mayo.js';
import type { NoduleType } from './nodule-type.js';
import { plcoM2012 } from './plco-m2012.js';
import type { PlcoRace } from './plco-m2012.js';
import type { Assumption } from './risk-result.js';
import { volumeDoublingTime, volumeDoublingTimeFromDiameters } from './volume-doubling-time.js';

/**
 * Scores every clinical rule for one subject of a cohort, so that the rules sit in the
 * cross-validated table beside the networks, on the same subjects and folds.
 *
 * The record is plain data in the cohort's NLST codings (../shared/docs/cohort-format.md): gender
 * 1 male, 2 female; famhist, emphysema, upper_lobe, spiculation 0/1; cigsmok 0 former, 1 current;
 * race 1 White, 2 Black, 3 Asian, 4 American Indian/Alaska Native, 5 Native Hawaiian/Pacific
 * Islander, 6 more than one, 7/95/96/98/99 unknown. Nodule measurements per time point come from
 * scans.csv or from preprocessing's measurement.
 *
 * Scores (higher = more likely malignant):
 * - brock-2b, brock-2a, mayo: the probability, from the T1 measurement (T0's when T1 has none) and
 *   the age at that scan (baseline age + days / 365.25).
 * - lung-rads: the category rank (1, 2, 3, 4A = 4, 4B = 5) of the T1 nodule read against T0 as the
 *   prior; with only one measurement it is read as a baseline screen (listed in `assumed`).
 * - vdt: 1 / VDT in doublings per day = ln(V1/V0) / (days ln 2), from volumes when both exist, else
 *   from diameters. It is 0 for no change and negative for shrinkage, so stable and shrinking
 *   nodules rank below growing ones without the infinity of VDT itself; "infection-like" fast
 *   growth (VDT < 30 days) ranks highest, a known limit of using growth speed as a score.
 * - plcom2012: the six-year lung-cancer risk of the person (not of the nodule); cigarettes per day
 *   = pkyr x 20 / smokeyr; COPD, personal cancer history, education and BMI are not in the cohort
 *   format and are assumed (listed); NLST race 6 and unknown codes are assumed white (listed).
 * A rule whose required inputs are missing gets score null and lists them in `missing`; an input
 * out of range gives score null and the rule's one-line message in `error`. Nothing is dropped
 * silently.
 */
export interface ClinicalRecord {
  readonly subjectId: string;
  /** Years at baseline (T0). */
  readonly age?: number;
  /** 1 male, 2 female. */
  readonly gender?: number;
  readonly race?: number;
  readonly famhist?: number;
  readonly emphysema?: number;
  /** 0 former, 1 current smoker. */
  readonly cigsmok?: number;
  readonly pkyr?: number;
  readonly smokeyr?: number;
  readonly upperLobe?: number;
  readonly spiculation?: number;
  /** Nodules on the scan, this one included. */
  readonly noduleCount?: number;
  /** Days from T0 to T1. */
  readonly days?: number;
  readonly t0: NoduleMeasurement;
  readonly t1: NoduleMeasurement;
}

export interface NoduleMeasurement {
  readonly diameterMm?: number;
  readonly volumeMm3?: number;
  readonly type?: NoduleType;
  /** Solid component of a part-solid nodule, mm. */
  readonly solidMm?: number;
}

export const CLINICAL_RULES = ['brock-2b', 'brock-2a', 'mayo', 'lung-rads', 'vdt', 'plcom2012'] as const;
export type ClinicalRule = (typeof CLINICAL_RULES)[number];

export interface ClinicalScore {
  readonly rule: ClinicalRule;
  /** Higher = more likely malignant; null when the rule could not be scored. */
  readonly score: number | null;
  /** The score in words (e.g. "p = 0.4208", "category 4A: ..."). */
  readonly detail: string;
  readonly assumed: readonly Assumption[];
  /** Required inputs that were missing. */
  readonly missing: readonly string[];
  /** The rule's message when an input was out of range. */
  readonly error?: string;
}

/** Per rule: what its score means and the decision threshold its guideline uses (positive when score > threshold). */
export const CLINICAL_RULE_INFO: Readonly<Record<ClinicalRule, { readonly score: string; readonly threshold: number; readonly thresholdSource: string }>> = {
  'brock-2b': { score: 'probability', threshold: 0.1, thresholdSource: 'British Thoracic Society 2015: Brock risk of 10% or more leads to PET-CT' },
  'brock-2a': { score: 'probability', threshold: 0.1, thresholdSource: 'British Thoracic Society 2015: Brock risk of 10% or more leads to PET-CT' },
  mayo: { score: 'probability', threshold: 0.5, thresholdSource: 'no guideline threshold: 0.5 as for the network' },
  'lung-rads': { score: 'category rank (1, 2, 3, 4A = 4, 4B = 5)', threshold: 2, thresholdSource: 'ACR Lung-RADS: categories 3 and 4 are a positive screen' },
  vdt: { score: 'doublings per day (1 / VDT)', threshold: 1 / 400, thresholdSource: 'VDT under 400 days is suspicious (clinical-models.md)' },
  plcom2012: { score: 'six-year lung-cancer probability', threshold: 0.0151, thresholdSource: 'PLCOm2012 screening-eligibility threshold of 1.51%' },
};

const NLST_RACE: Readonly<Record<number, PlcoRace>> = {
  1: 'white',
  2: 'black',
  3: 'asian',
  4: 'american-indian-alaska-native',
  5: 'native-hawaiian-pacific-islander',
};

/** Every rule's score for one subject. */
export function clinicalScores(record: ClinicalRecord): Record<ClinicalRule, ClinicalScore> {
  return {
    'brock-2b': scoreBrock(record, '2b'),
    'brock-2a': scoreBrock(record, '2a'),
    mayo: scoreMayo(record),
    'lung-rads': scoreLungRads(record),
    vdt: scoreVdt(record),
    plcom2012: scorePlco(record),
  };
}

/** The latest measurement with a diameter, its time point, and the assumption when it is T0. */
function latest(r: ClinicalRecord): { m: NoduleMeasurement; ageOffset: number; assumed: Assumption[] } | null {
  if (r.t1.diameterMm !== undefined) {
    const assumed: Assumption[] = [];
    if (r.days === undefined) assumed.push({ field: 'days', value: 0, note: 'days T0 -> T1 not given: age at T1 taken as the baseline age' });
    return { m: r.t1, ageOffset: (r.days ?? 0) / 365.25, assumed };
  }
  if (r.t0.diameterMm !== undefined) {
    return { m: r.t0, ageOffset: 0, assumed: [{ field: 'diameter_mm', value: 'T0', note: 'no T1 diameter: the T0 measurement was used' }] };
  }
  return null;
}

function flag(value: number | undefined, field: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value !== 0 && value !== 1) throw new InputError(`${field} must be 0 or 1, got ${value}`, { rule: 'bad-code' });
  return value === 1;
}

function sexOf(gender: number | undefined): 'male' | 'female' | undefined {
  if (gender === undefined) return undefined;
  if (gender !== 1 && gender !== 2) throw new InputError(`gender must be 1 (male) or 2 (female), got ${gender}`, { rule: 'bad-code' });
  return gender === 2 ? 'female' : 'male';
}

function brockType(type: NoduleType | undefined, assumed: Assumption[]): BrockNoduleType | undefined {
  if (type !== 'calcified') return type;
  assumed.push({ field: 'type', value: 'solid', note: 'calcified nodule scored as solid (Brock has no calcified type; such nodules are benign)' });
  return 'solid';
}

/** Runs a rule, turning input errors into a null score with the message. */
function guarded(rule: ClinicalRule, missing: string[], run: () => Omit<ClinicalScore, 'rule' | 'missing'>): ClinicalScore {
  if (missing.length > 0) return { rule, score: null, detail: `not scored: missing ${missing.join(', ')}`, assumed: [], missing };
  try {
    return { rule, missing, ...run() };
  } catch (err) {
    if (!(err instanceof CsfnetError)) throw err;
    return { rule, score: null, detail: `not scored: ${err.message}`, assumed: [], missing, error: err.message };
  }
}

function scoreBrock(r: ClinicalRecord, variant: '2a' | '2b'): ClinicalScore {
  const at = latest(r);
  const missing = [...(r.age === undefined ? ['age'] : []), ...(at === null ? ['diameter_mm'] : [])];
  return guarded(`brock-${variant}`, missing, () => {
    const { m, ageOffset, assumed } = at!;
    const type = brockType(m.type, assumed);
    const res = brock(
      {
        age: r.age! + ageOffset,
        sex: sexOf(r.gender),
        diameterMm: m.diameterMm!,
        type,
        upperLobe: flag(r.upperLobe, 'upper_lobe'),
        spiculation: flag(r.spiculation, 'spiculation'),
        count: r.noduleCount,
        familyHistory: flag(r.famhist, 'famhist'),
        emphysema: flag(r.emphysema, 'emphysema'),
      },
      variant,
    );
    return { score: res.p, detail: `p = ${res.p.toFixed(4)}`, assumed: [...assumed, ...res.assumed] };
  });
}

function scoreMayo(r: ClinicalRecord): ClinicalScore {
  const at = latest(r);
  const missing = [...(r.age === undefined ? ['age'] : []), ...(at === null ? ['diameter_mm'] : [])];
  return guarded('mayo', missing, () => {
    const { m, ageOffset, assumed } = at!;
    // Mayo's smoker means current or former: both NLST codes (0 former, 1 current) are smokers.
    if (r.cigsmok !== undefined) flag(r.cigsmok, 'cigsmok');
    const smoker = r.cigsmok === undefined ? undefined : true;
    const res = mayo({ age: r.age! + ageOffset, smoker, diameterMm: m.diameterMm!, spiculation: flag(r.spiculation, 'spiculation'), upperLobe: flag(r.upperLobe, 'upper_lobe') });
    return { score: res.p, detail: `p = ${res.p.toFixed(4)}`, assumed: [...assumed, ...res.assumed] };
  });
}

function scoreLungRads(r: ClinicalRecord): ClinicalScore {
  const d0 = r.t0.diameterMm;
  const d1 = r.t1.diameterMm;
  const missing = d0 === undefined && d1 === undefined ? ['diameter_mm'] : [];
  return guarded('lung-rads', missing, () => {
    const assumed: Assumption[] = [];
    let current = r.t1;
    let prior: LungRadsPrior | undefined;
    if (d1 !== undefined && d0 !== undefined && r.days !== undefined) {
      prior = { kind: 'seen', days: r.days, diameterMm: d0, solidMm: r.t0.solidMm, type: r.t0.type ?? r.t1.type };
    } else {
      if (d1 === undefined) current = r.t0;
      assumed.push({ field: 'prior', value: 'none', note: `${d1 === undefined ? 'only T0' : d0 === undefined ? 'only T1' : 'no interval (days)'} measured: read as a baseline screen` });
    }
    const res = lungRads({ type: current.type ?? r.t0.type, diameterMm: current.diameterMm!, solidMm: current.solidMm, prior });
    return { score: res.rank, detail: `category ${res.category}: ${res.reason}`, assumed: [...assumed, ...res.assumed] };
  });
}

function scoreVdt(r: ClinicalRecord): ClinicalScore {
  const volumes = r.t0.volumeMm3 !== undefined && r.t1.volumeMm3 !== undefined;
  const diameters = r.t0.diameterMm !== undefined && r.t1.diameterMm !== undefined;
  const missing = [...(r.days === undefined ? ['days'] : []), ...(volumes || diameters ? [] : ['volume_mm3 or diameter_mm at T0 and T1'])];
  return guarded('vdt', missing, () => {
    const res = volumes
      ? volumeDoublingTime({ days: r.days!, volume0Mm3: r.t0.volumeMm3!, volume1Mm3: r.t1.volumeMm3! })
      : volumeDoublingTimeFromDiameters({ days: r.days!, diameter0Mm: r.t0.diameterMm!, diameter1Mm: r.t1.diameterMm! });
    const vdt = Number.isFinite(res.vdtDays) ? `${Math.round(res.vdtDays)} days` : 'infinite';
    return { score: res.doublingRate, detail: `VDT ${vdt} from ${res.method}s: ${res.interpretation}`, assumed: [] };
  });
}

function scorePlco(r: ClinicalRecord): ClinicalScore {
  const missing = [
    ...(r.age === undefined ? ['age'] : []),
    ...(r.pkyr === undefined ? ['pkyr'] : []),
    ...(r.smokeyr === undefined || r.smokeyr === 0 ? ['smokeyr'] : []),
  ];
  return guarded('plcom2012', missing, () => {
    const assumed: Assumption[] = [];
    let race: PlcoRace | undefined;
    if (r.race !== undefined) {
      race = NLST_RACE[r.race];
      if (race === undefined) assumed.push({ field: 'race', value: 'white', note: `NLST race code ${r.race} has no PLCOm2012 term: assumed white` });
    }
    const smoking = r.cigsmok === undefined ? undefined : flag(r.cigsmok, 'cigsmok') ? 'current' : 'former';
    const res = plcoM2012({
      age: r.age!,
      race: race ?? (r.race === undefined ? undefined : 'white'),
      familyHistory: flag(r.famhist, 'famhist'),
      smoking,
      cigarettesPerDay: (r.pkyr! * 20) / r.smokeyr!,
      smokingYears: r.smokeyr!,
    });
    return { score: res.p, detail: `six-year risk p = ${res.p.toFixed(4)}`, assumed: [...assumed, ...res.assumed] };
  });
}
