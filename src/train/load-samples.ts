import type { ClinicalRecord, NoduleMeasurement } from '../clinical/clinical-scores.js';
import type { ClinicalVocab } from '../cohort/clinical-vocab.js';
import { buildClinicalVocab, encodeClinical } from '../cohort/clinical-vocab.js';
import type { Cohort, Scan, Subject } from '../cohort/load-cohort.js';
import type { PatchMeasurement } from '../cohort/patch-store.js';
import { PatchStore } from '../cohort/patch-store.js';
import type { ClinicalSchema } from '../model/index.js';
import { ConfigError } from '../util/errors.js';
import type { SubjectSample } from './sample.js';

/** The NLST columns of the paper plus the two binary risk factors the cohort format defines. */
export const DEFAULT_CLINICAL_COLUMNS = ['race', 'cigsmok', 'gender', 'age', 'famhist', 'emphysema'] as const;

export interface LoadedSamples {
  samples: SubjectSample[];
  schema: ClinicalSchema;
  /** Subjects left out, with the reason (not usable per validation, no label, no patches). */
  skipped: Array<{ id: string; reason: string }>;
}

const numberOrUndefined = (text: string | undefined): number | undefined => {
  if (text === undefined || text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
};

/** A usable measurement: the segmentation found the nodule and did not run into the patch border. */
function measured(m: PatchMeasurement | undefined): { diameterMm?: number; volumeMm3?: number } {
  if (!m || !m.found || m.touchesBorder) return {};
  return { ...(m.meanDiameterMm !== null ? { diameterMm: m.meanDiameterMm } : {}), volumeMm3: m.volumeMm3 };
}

function noduleAt(scan: Scan | undefined, m: PatchMeasurement | undefined): NoduleMeasurement {
  const auto = measured(m);
  return {
    ...(scan?.diameterMm !== undefined ? { diameterMm: scan.diameterMm } : auto.diameterMm !== undefined ? { diameterMm: auto.diameterMm } : {}),
    ...(auto.volumeMm3 !== undefined ? { volumeMm3: auto.volumeMm3 } : {}),
    ...(scan?.noduleType !== undefined ? { type: scan.noduleType } : {}),
  };
}

/** Inputs of the clinical rules: subjects.csv cells, scans.csv fields, and preprocessing's measurements. */
export function clinicalRecord(subject: Subject, measurements: ReadonlyMap<string, PatchMeasurement>): ClinicalRecord {
  const c = subject.clinical;
  const t0 = subject.scans.find((s) => s.index === 0);
  const t1 = subject.scans.find((s) => s.index === 1);
  const pick = (key: string): Record<string, number> => {
    const v = numberOrUndefined(c[key]);
    return v === undefined ? {} : { [key]: v };
  };
  const flag = t1?.upperLobe ?? t0?.upperLobe;
  const spic = t1?.spiculation ?? t0?.spiculation;
  return {
    subjectId: subject.id,
    ...pick('age'),
    ...pick('gender'),
    ...pick('race'),
    ...pick('famhist'),
    ...pick('emphysema'),
    ...pick('cigsmok'),
    ...pick('pkyr'),
    ...pick('smokeyr'),
    ...(flag !== undefined ? { upperLobe: flag } : {}),
    ...(spic !== undefined ? { spiculation: spic } : {}),
    ...(t1 ? { days: t1.days } : {}),
    t0: noduleAt(t0, measurements.get('T0')),
    t1: noduleAt(t1, measurements.get('T1')),
  };
}

/**
 * The labelled, usable subjects of a cohort with their T0 and T1 patches from the patch store,
 * clinical columns encoded through `schema` (built from these subjects when not given, so a model
 * trained here records how to encode another cohort) and the inputs of the clinical rules.
 */
export function loadSamples(cohort: Cohort, storeDir: string, options: { columns?: readonly string[]; schema?: ClinicalSchema; requireLabels?: boolean } = {}): LoadedSamples {
  const store = PatchStore.open(storeDir);
  const ok = new Set(cohort.report.subjects.filter((r) => r.ok).map((r) => r.subjectId));
  const skipped: LoadedSamples['skipped'] = [];
  const chosen: Subject[] = [];
  const inStore = new Set(store.subjects());
  for (const s of cohort.subjects) {
    if (!ok.has(s.id)) skipped.push({ id: s.id, reason: 'not usable (see csfnet validate)' });
    else if ((options.requireLabels ?? true) && s.label === null) skipped.push({ id: s.id, reason: 'no label' });
    else if (!inStore.has(s.id)) skipped.push({ id: s.id, reason: 'no patches in the store (run csfnet preprocess)' });
    else chosen.push(s);
  }
  let schema = options.schema;
  if (!schema) {
    const columns = (options.columns ?? DEFAULT_CLINICAL_COLUMNS.filter((c) => cohort.clinicalColumns.includes(c))).slice();
    if (columns.length === 0) throw new ConfigError(`cohort ${cohort.dir} has none of the clinical columns ${DEFAULT_CLINICAL_COLUMNS.join(', ')}; name some with --clinical-columns`);
    const missing = columns.filter((c) => !cohort.clinicalColumns.includes(c));
    if (missing.length > 0) throw new ConfigError(`clinical column(s) ${missing.join(', ')} are not in ${cohort.dir}/subjects.csv (it has ${cohort.clinicalColumns.join(', ')})`);
    const vocab: ClinicalVocab = buildClinicalVocab(chosen, columns);
    schema = { columns, vocab: columns.map((c) => [...vocab[c]!]) };
  }
  const vocabRecord: ClinicalVocab = Object.fromEntries(schema.columns.map((c, i) => [c, schema.vocab[i]!]));
  const samples = chosen.map((s): SubjectSample => {
    const patches = new Map(store.entriesOf(s.id).map((e) => [e.timepoint, e]));
    const read = (tp: string): Float32Array | null => (patches.has(tp) ? store.read(s.id, tp).data : null);
    const measurements = new Map([...patches].map(([tp, e]) => [tp, e.measurement]));
    return {
      id: s.id,
      label: s.label ?? 0,
      t0: read('T0'),
      t1: read('T1'),
      clinical: encodeClinical(s.clinical, schema.columns, vocabRecord),
      record: clinicalRecord(s, measurements),
    };
  });
  return { samples, schema, skipped };
}
