import { ConfigError } from '../util/errors.js';

/**
 * The synthetic cohort generator's causal model and every parameter of it, in one typed object.
 *
 * Causal graph (arrows are the only dependencies the generator draws; nothing else is correlated):
 *
 *   clinical (age, gender, race, cigsmok, smokeyr, pkyr, famhist, emphysema)
 *       |                                   \
 *       v  logistic risk model                \ emphysema -> low-attenuation lung texture
 *     label (malignant 1 / benign 0)            v
 *       |                                    image background
 *       v  label-conditional draws
 *     nodule at T0: type, size, shape (smooth/lobulated/spiculated), upper lobe, juxtapleural,
 *                   vessel contact, attenuation
 *       |
 *       v  label- and type-conditional growth
 *     nodule at T1 (and T2): volume from a doubling time (malignant) or a benign course
 *                            (stable / shrinking / resolving to a scar / slowly growing)
 *
 * 1. Clinical columns (NLST codings, ../shared/docs/cohort-format.md), drawn per subject from an
 *    NLST-like screening population (eligibility: age 55-74, >= 30 pack-years, current smokers or
 *    quit within 15 years; Aberle et al., NEJM 2011;365:395-409, Table 1): age ~ normal(60.5, 5)
 *    truncated to [55, 74] (mean 61.7; NLST 61.4); gender 59% male; race mostly White; 48% current smokers; years smoked
 *    ~ normal(40, 7) limited by age - 12; cigarettes per day ~ lognormal(median 25); pkyr = smokeyr x
 *    cigarettes per day / 20 (the NLST definition) and at least 30; famhist 22%; emphysema 25%.
 * 2. Label: P(malignant) = sigmoid(b0 + sum of the `risk` coefficients x centred clinical values).
 *    The coefficients are of the size and direction of the Brock model's (McWilliams 2013: female,
 *    family history, emphysema, age) and PLCOm2012's (Tammemagi 2013: race, current smoking, years
 *    smoked), given in ../shared/docs/clinical-models.md; b0 is solved by bisection so that the mean
 *    risk over a fixed calibration sample of the population equals `prevalence`.
 * 3. Nodule at T0, each drawn given the label only: type (solid, part-solid, ground-glass,
 *    calcified) from `typeProbs`; mean axial diameter ~ lognormal(median, sigma) clipped to
 *    [minDiameterMm, maxDiameterMm]; shape class from `shapeProbs`; upper lobe, juxtapleural and
 *    vessel contact as Bernoulli draws; attenuation (HU) per type from `attenuation`.
 * 4. Growth over the interval t (days; T0->T1 ~ normal(365, 45), clipped): malignant nodules
 *    double their volume every VDT days, VDT ~ lognormal around the type's median (solid 270,
 *    part-solid 600, ground-glass 850 days: PMC5945695 via clinical-models.md), except an indolent
 *    fraction whose VDT is log-uniform in [indolentVdtDays]; malignant ground-glass nodules may
 *    develop a solid core and gain density. Benign nodules follow a course: stable (log volume
 *    ratio ~ normal(0, stableLogSigma)), shrinking (volume ratio uniform in shrinkVolumeRatio),
 *    resolving to a residual scar, or slow growth (VDT lognormal around benignGrowthVdtDays).
 *    Calcified benign nodules are stable. V1 = V0 x 2^(t / VDT); the diameter scales with the cube
 *    root and is capped at maxGrowthDiameterMm.
 * 5. Scans (every time point): a chest region at least `extentMm` around the nodule, spacing drawn
 *    per scan, the patient posed by a small random rotation and table shift per scan (so T1 is
 *    shifted and rotated against T0), lung -860 HU with a gravity gradient and texture, branching
 *    vessels, chest wall with ribs, mediastinum and diaphragm where the field of view reaches them,
 *    partial-volume edges by supersampling, and low-dose noise.
 *
 * 6. scans.csv: the nodule centre in each scan's world coordinates (exact, 0.01 mm), the type,
 *    upper lobe and spiculation as drawn, and diameter_mm as a reader would measure it: the true mean
 *    axial diameter plus normal error of SD readerSdMm (inter-reader variability of about a
 *    millimetre for small nodules). synth-truth.csv keeps the true values and hidden variables.
 *
 * Nothing but the label links the clinical columns to the nodule, so clinical data carries
 * information that the images do not; appearance and growth distributions overlap between the
 * classes, so neither T0 alone nor growth alone separates them.
 *
 * Tuned so the two-time-point comparison is informative (bench/synth-separability.ts, 3000 planned
 * subjects): with malignant nodules larger at T0 (median 9 against 7 mm), slower and more spread
 * malignant growth (SD of log VDT 0.75, 20 % indolent) and more benign growth, T1's appearance
 * alone scored 0.839 against 0.882 for both time points, so a single-time-point model lost almost
 * nothing. With the values below, T0 size alone is 0.58, T1 appearance 0.80 and both time points
 * 0.90 (growth alone 0.85); no proxy reaches 1.0.
 */
export type NoduleType = 'solid' | 'part-solid' | 'ground-glass' | 'calcified';
export type ShapeClass = 'smooth' | 'lobulated' | 'spiculated';
export type ImageFormat = 'dicom' | 'nifti' | 'mixed';

export const NODULE_TYPES: readonly NoduleType[] = ['solid', 'part-solid', 'ground-glass', 'calcified'];
export const SHAPE_CLASSES: readonly ShapeClass[] = ['smooth', 'lobulated', 'spiculated'];

/** A value per class: index 0 benign, 1 malignant. */
export type PerLabel<T> = readonly [benign: T, malignant: T];

export interface ClinicalPopulation {
  readonly ageMean: number;
  readonly ageSd: number;
  readonly ageRange: readonly [number, number];
  readonly maleProb: number;
  /** Probabilities of race codes 1-6 and 99 (unknown), in that order. */
  readonly raceProbs: readonly number[];
  readonly currentSmokerProb: number;
  readonly smokeYearsMean: number;
  readonly smokeYearsSd: number;
  readonly cigsPerDayMedian: number;
  readonly cigsPerDayLogSigma: number;
  readonly minPackYears: number;
  readonly famhistProb: number;
  readonly emphysemaProb: number;
}

/** Logistic risk model of the label given the clinical columns (centred where noted). */
export interface RiskModel {
  /** Per year of age above 62. */
  readonly age: number;
  readonly female: number;
  readonly black: number;
  readonly asian: number;
  readonly currentSmoker: number;
  /** Per year smoked above 40. */
  readonly smokeYears: number;
  /** Per pack-year above 50. */
  readonly packYears: number;
  readonly famhist: number;
  readonly emphysema: number;
  /** Subjects drawn to calibrate the intercept to the prevalence. */
  readonly calibrationSamples: number;
}

export interface NoduleModel {
  readonly typeProbs: PerLabel<Readonly<Record<NoduleType, number>>>;
  readonly diameterMedianMm: PerLabel<number>;
  readonly diameterLogSigma: PerLabel<number>;
  readonly minDiameterMm: number;
  readonly maxDiameterMm: number;
  readonly shapeProbs: PerLabel<Readonly<Record<ShapeClass, number>>>;
  readonly upperLobeProb: PerLabel<number>;
  readonly juxtapleuralProb: PerLabel<number>;
  readonly vesselContactProb: PerLabel<number>;
  /** Mean and SD of attenuation (HU) of the solid tissue and of ground glass. */
  readonly solidHu: readonly [number, number];
  readonly groundGlassHu: PerLabel<readonly [number, number]>;
  readonly calcifiedHu: readonly [number, number];
  /** Solid core diameter as a fraction of the whole, uniform in the range, part-solid nodules. */
  readonly coreFraction: PerLabel<readonly [number, number]>;
  /** SD (mm) of the simulated reader's diameter_mm in scans.csv: base + perMm x true diameter. */
  readonly readerSdMm: readonly [base: number, perMm: number];
}

export interface GrowthModel {
  readonly intervalDaysMean: number;
  readonly intervalDaysSd: number;
  readonly intervalDaysRange: readonly [number, number];
  /** Median VDT (days) of malignant nodules by type. */
  readonly malignantVdtMedianDays: Readonly<Record<NoduleType, number>>;
  readonly malignantVdtLogSigma: number;
  readonly indolentProb: number;
  readonly indolentVdtDays: readonly [number, number];
  /** Probability that a malignant ground-glass nodule develops a solid core by T1. */
  readonly groundGlassSolidifyProb: number;
  /** HU gained per year by a malignant ground-glass component. */
  readonly groundGlassDensifyHuPerYear: readonly [number, number];
  /** Benign courses: probabilities of stable, shrink, resolve, grow (sum 1). */
  readonly benignCourseProbs: readonly [stable: number, shrink: number, resolve: number, grow: number];
  readonly stableLogSigma: number;
  readonly shrinkVolumeRatio: readonly [number, number];
  /** A resolving nodule leaves a scar of this fraction of its T0 diameter (at least 2 mm). */
  readonly resolveDiameterFraction: readonly [number, number];
  readonly benignGrowthVdtDays: number;
  readonly benignGrowthLogSigma: number;
  readonly maxGrowthDiameterMm: number;
}

export interface ScanModel {
  /** Minimum in-plane and axial extent (mm) of each scan's field of view. */
  readonly extentMm: readonly [inPlane: number, axial: number];
  /** Extra extent added at random, up to this much (mm). */
  readonly extentJitterMm: readonly [inPlane: number, axial: number];
  readonly inPlaneSpacingMm: readonly [number, number];
  readonly sliceSpacingMm: readonly [number, number];
  /** Weights of the slice spacings 1, 1.25, 1.5, 2 and 2.5 mm (those inside sliceSpacingMm). */
  readonly sliceStepWeights: readonly number[];
  /** SD (degrees) of the patient's rotation about x, y and z per scan. */
  readonly rotationSdDeg: readonly [number, number, number];
  readonly maxRotationDeg: number;
  /** Half-width (mm) of the uniform table shift per scan along x, y, z. */
  readonly shiftMm: readonly [number, number, number];
  /** Noise SD (HU) per scan, uniform in the range (low-dose CT). */
  readonly noiseHu: readonly [number, number];
  /** Sub-sample spacing (mm) at partial-volume edges of the nodule (spicules included). */
  readonly noduleSubsampleMm: number;
  /** Sub-sample spacing (mm) at partial-volume edges of vessels and the pleura. */
  readonly anatomySubsampleMm: number;
}

export interface CohortOptions {
  readonly subjects: number;
  readonly prevalence: number;
  readonly format: ImageFormat;
  /** Fraction of subjects that also get a T2 scan about a year after T1. */
  readonly t2Fraction: number;
}

export interface SynthConfig {
  readonly cohort: CohortOptions;
  readonly clinical: ClinicalPopulation;
  readonly risk: RiskModel;
  readonly nodule: NoduleModel;
  readonly growth: GrowthModel;
  readonly scan: ScanModel;
}

export const DEFAULT_SYNTH_CONFIG: SynthConfig = {
  cohort: { subjects: 200, prevalence: 0.35, format: 'mixed', t2Fraction: 0 },
  clinical: {
    ageMean: 60.5,
    ageSd: 5,
    ageRange: [55, 74],
    maleProb: 0.59,
    // White, Black, Asian, American Indian/Alaska Native, Pacific Islander, more than one, unknown
    raceProbs: [0.905, 0.045, 0.02, 0.004, 0.004, 0.012, 0.01],
    currentSmokerProb: 0.48,
    smokeYearsMean: 40,
    smokeYearsSd: 7,
    cigsPerDayMedian: 25,
    cigsPerDayLogSigma: 0.35,
    minPackYears: 30,
    famhistProb: 0.22,
    emphysemaProb: 0.25,
  },
  risk: {
    age: 0.1,
    female: 0.7,
    black: 0.5,
    asian: -0.5,
    currentSmoker: 0.6,
    smokeYears: 0.035,
    packYears: 0.02,
    famhist: 0.7,
    emphysema: 0.8,
    calibrationSamples: 20000,
  },
  nodule: {
    typeProbs: [
      { solid: 0.52, 'part-solid': 0.12, 'ground-glass': 0.22, calcified: 0.14 },
      { solid: 0.55, 'part-solid': 0.22, 'ground-glass': 0.2, calcified: 0.03 },
    ],
    diameterMedianMm: [7.5, 8.5],
    diameterLogSigma: [0.45, 0.45],
    minDiameterMm: 4,
    maxDiameterMm: 25,
    shapeProbs: [
      { smooth: 0.55, lobulated: 0.3, spiculated: 0.15 },
      { smooth: 0.3, lobulated: 0.4, spiculated: 0.3 },
    ],
    upperLobeProb: [0.45, 0.62],
    juxtapleuralProb: [0.28, 0.15],
    vesselContactProb: [0.2, 0.25],
    solidHu: [30, 15],
    groundGlassHu: [
      [-640, 60],
      [-590, 60],
    ],
    calcifiedHu: [550, 150],
    coreFraction: [
      [0.2, 0.5],
      [0.3, 0.7],
    ],
    readerSdMm: [0.3, 0.04],
  },
  growth: {
    intervalDaysMean: 365,
    intervalDaysSd: 45,
    intervalDaysRange: [270, 540],
    malignantVdtMedianDays: { solid: 270, 'part-solid': 600, 'ground-glass': 850, calcified: 400 },
    malignantVdtLogSigma: 0.5,
    indolentProb: 0.1,
    indolentVdtDays: [1500, 4000],
    groundGlassSolidifyProb: 0.3,
    groundGlassDensifyHuPerYear: [20, 80],
    benignCourseProbs: [0.7, 0.12, 0.06, 0.12],
    stableLogSigma: 0.1,
    shrinkVolumeRatio: [0.25, 0.8],
    resolveDiameterFraction: [0.25, 0.45],
    benignGrowthVdtDays: 700,
    benignGrowthLogSigma: 0.4,
    maxGrowthDiameterMm: 40,
  },
  scan: {
    extentMm: [100, 60],
    extentJitterMm: [8, 6],
    inPlaneSpacingMm: [0.6, 0.9],
    sliceSpacingMm: [1, 2.5],
    sliceStepWeights: [0.15, 0.2, 0.15, 0.25, 0.25],
    rotationSdDeg: [1, 1, 2],
    maxRotationDeg: 5,
    shiftMm: [15, 15, 25],
    noiseHu: [20, 45],
    noduleSubsampleMm: 0.35,
    anatomySubsampleMm: 0.85,
  },
};

/** The default config with the cohort options replaced where given, checked. */
export function synthConfigWith(cohort: Partial<CohortOptions>, base: SynthConfig = DEFAULT_SYNTH_CONFIG): SynthConfig {
  const cfg: SynthConfig = { ...base, cohort: { ...base.cohort, ...cohort } };
  checkSynthConfig(cfg);
  return cfg;
}

/**
 * Throws ConfigError when the config cannot describe a cohort: counts and fractions out of range,
 * probability tables that do not sum to 1, reversed ranges.
 */
export function checkSynthConfig(cfg: SynthConfig): void {
  const problems: string[] = [];
  const c = cfg.cohort;
  if (!Number.isInteger(c.subjects) || c.subjects < 1) problems.push(`cohort.subjects must be a positive integer, got ${c.subjects}`);
  if (!(c.prevalence > 0 && c.prevalence < 1)) problems.push(`cohort.prevalence must be in (0, 1), got ${c.prevalence}`);
  if (!(c.t2Fraction >= 0 && c.t2Fraction <= 1)) problems.push(`cohort.t2Fraction must be in [0, 1], got ${c.t2Fraction}`);
  if (!['dicom', 'nifti', 'mixed'].includes(c.format)) problems.push(`cohort.format must be dicom, nifti or mixed, got ${c.format}`);
  const sumsToOne = (name: string, values: readonly number[]): void => {
    const sum = values.reduce((a, b) => a + b, 0);
    if (values.some((v) => !(v >= 0)) || Math.abs(sum - 1) > 1e-6) problems.push(`${name} must be non-negative and sum to 1, sums to ${sum}`);
  };
  sumsToOne('clinical.raceProbs', cfg.clinical.raceProbs);
  for (const label of [0, 1] as const) {
    sumsToOne(`nodule.typeProbs[${label}]`, Object.values(cfg.nodule.typeProbs[label]));
    sumsToOne(`nodule.shapeProbs[${label}]`, Object.values(cfg.nodule.shapeProbs[label]));
  }
  sumsToOne('growth.benignCourseProbs', cfg.growth.benignCourseProbs);
  const ordered = (name: string, r: readonly [number, number]): void => {
    if (!(r[0] <= r[1])) problems.push(`${name} must be an increasing range, got [${r[0]}, ${r[1]}]`);
  };
  ordered('clinical.ageRange', cfg.clinical.ageRange);
  ordered('growth.intervalDaysRange', cfg.growth.intervalDaysRange);
  ordered('scan.inPlaneSpacingMm', cfg.scan.inPlaneSpacingMm);
  ordered('scan.sliceSpacingMm', cfg.scan.sliceSpacingMm);
  ordered('scan.noiseHu', cfg.scan.noiseHu);
  if (cfg.nodule.minDiameterMm > cfg.nodule.maxDiameterMm) problems.push('nodule.minDiameterMm exceeds nodule.maxDiameterMm');
  if (!(cfg.scan.noduleSubsampleMm > 0 && cfg.scan.anatomySubsampleMm > 0)) problems.push('scan sub-sample spacings must be positive');
  if (problems.length > 0) throw new ConfigError(`synth config: ${problems.join('; ')}`);
}
