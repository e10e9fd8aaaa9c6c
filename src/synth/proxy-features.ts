import type { Cohort } from '../cohort/load-cohort.js';
import type { NoduleType, SynthConfig } from './synth-config.js';
import type { SubjectPlan } from './subject-plan.js';
import { readerDiameter } from './cohort-rows.js';

/**
 * What a simple model may know of a subject, to measure how separable a synthetic cohort's classes
 * are before any network exists: the clinical columns, and per time point the nodule's diameter
 * (measured), type, spiculation and lobe.
 */
export interface ProxyRecord {
  readonly subjectId: string;
  readonly label: 0 | 1;
  readonly clinical: Readonly<Record<'age' | 'gender' | 'race' | 'cigsmok' | 'pkyr' | 'smokeyr' | 'famhist' | 'emphysema', number>>;
  readonly t0: ProxyScan;
  readonly t1: ProxyScan;
}

export interface ProxyScan {
  readonly days: number;
  readonly diameterMm: number;
  readonly type: NoduleType;
  readonly spiculation: 0 | 1;
  readonly upperLobe: 0 | 1;
}

/** A named feature set: which inputs a proxy model of that kind sees. */
export interface FeatureSet {
  readonly name: string;
  readonly features: (r: ProxyRecord) => number[];
}

const typeCode = (t: NoduleType): number[] => [t === 'part-solid' ? 1 : 0, t === 'ground-glass' ? 1 : 0, t === 'calcified' ? 1 : 0];
const appearance = (s: ProxyScan): number[] => [Math.log(s.diameterMm), ...typeCode(s.type), s.spiculation, s.upperLobe];
/** ln(V1 / V0) per 365 days, volumes from diameters (sphere-like nodules, clinical-models.md). */
const growthRate = (r: ProxyRecord): number => (3 * Math.log(r.t1.diameterMm / r.t0.diameterMm) * 365) / Math.max(1, r.t1.days - r.t0.days);
const csfnetClinical = (r: ProxyRecord): number[] => [r.clinical.age, r.clinical.gender === 2 ? 1 : 0, r.clinical.race === 2 ? 1 : 0, r.clinical.race === 3 ? 1 : 0, r.clinical.cigsmok];
const allClinical = (r: ProxyRecord): number[] => [...csfnetClinical(r), r.clinical.pkyr, r.clinical.smokeyr, r.clinical.famhist, r.clinical.emphysema];
const twoTimepoints = (r: ProxyRecord): number[] => [...appearance(r.t0), Math.log(r.t1.diameterMm), ...typeCode(r.t1.type), growthRate(r)];

/**
 * The proxies of the model comparison, from what a single-time-point image model can see up to
 * both time points plus clinical data.
 */
export const FEATURE_SETS: readonly FeatureSet[] = [
  { name: 'T0 size', features: (r) => [Math.log(r.t0.diameterMm)] },
  { name: 'T0 appearance (size, type, spiculation, lobe)', features: (r) => appearance(r.t0) },
  { name: 'growth alone (volume change per year)', features: (r) => [growthRate(r)] },
  { name: 'T0 + T1 (appearance at both, growth)', features: twoTimepoints },
  { name: 'clinical, CSF-Net columns (age, gender, race, cigsmok)', features: csfnetClinical },
  { name: 'clinical, all columns', features: allClinical },
  { name: 'T0 appearance + clinical', features: (r) => [...appearance(r.t0), ...allClinical(r)] },
  { name: 'T1 appearance (what single-t1 sees)', features: (r) => appearance(r.t1) },
  { name: 'T1 appearance + clinical', features: (r) => [...appearance(r.t1), ...allClinical(r)] },
  { name: 'T0 + T1 + clinical', features: (r) => [...twoTimepoints(r), ...allClinical(r)] },
];

/** Records of planned subjects, with diameters as the simulated reader reports them in scans.csv. */
export function proxyFromPlans(plans: readonly SubjectPlan[], seed: number, cfg: SynthConfig): ProxyRecord[] {
  return plans.map((p) => {
    const scan = (t: number): ProxyScan => {
      const s = p.scans[t]!;
      return {
        days: s.days,
        diameterMm: readerDiameter(seed, p.subjectId, s.timepoint, s.nodule.diameterMm, cfg.nodule.readerSdMm),
        type: s.nodule.type,
        spiculation: p.nodule.shapeClass === 'spiculated' ? 1 : 0,
        upperLobe: p.upperLobe ? 1 : 0,
      };
    };
    return { subjectId: p.subjectId, label: p.label, clinical: { ...p.clinical }, t0: scan(0), t1: scan(1) };
  });
}

/**
 * Records of a loaded cohort (labelled subjects with T0 and T1 and the columns the proxies need),
 * with each diameter from `measured` (key "subject/timepoint") where given, else from scans.csv.
 */
export function proxyFromCohort(cohort: Cohort, measured: ReadonlyMap<string, number> = new Map()): ProxyRecord[] {
  const out: ProxyRecord[] = [];
  for (const s of cohort.subjects) {
    const [a, b] = s.scans;
    if (s.label === null || a === undefined || b === undefined) continue;
    const scan = (x: typeof a): ProxyScan | null => {
      const d = measured.get(`${s.id}/${x.timepoint}`) ?? x.diameterMm;
      if (d === undefined || x.noduleType === undefined) return null;
      return { days: x.days, diameterMm: d, type: x.noduleType, spiculation: x.spiculation ?? 0, upperLobe: x.upperLobe ?? 0 };
    };
    const t0 = scan(a);
    const t1 = scan(b);
    const num = (k: string): number => Number(s.clinical[k] ?? '');
    const clinical = { age: num('age'), gender: num('gender'), race: num('race'), cigsmok: num('cigsmok'), pkyr: num('pkyr'), smokeyr: num('smokeyr'), famhist: num('famhist'), emphysema: num('emphysema') };
    if (t0 === null || t1 === null || Object.values(clinical).some((v) => !Number.isFinite(v))) continue;
    out.push({ subjectId: s.id, label: s.label, clinical, t0, t1 });
  }
  return out;
}
