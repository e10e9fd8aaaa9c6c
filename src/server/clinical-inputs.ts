import type { ClinicalRecord, NoduleMeasurement as RuleMeasurement } from '../clinical/clinical-scores.js';
import { encodeClinical } from '../cohort/clinical-vocab.js';
import type { NoduleMeasurement } from '../imaging/measure-nodule.js';
import type { ClinicalSchema } from '../model/checkpoint.js';
import { InputError } from '../util/errors.js';
import type { ClinicalInput, StudyInput } from './study-input.js';

/**
 * From a study's input and the automatic measurements to what the clinical rules and the network
 * take. Codings are those of the cohort format (../shared/docs/cohort-format.md, NLST).
 */

/** The clinical fields as the text cells a cohort's subjects.csv would hold (blank fields left out). */
export function clinicalRow(clinical: ClinicalInput): Record<string, string> {
  const row: Record<string, string> = {};
  for (const [key, value] of Object.entries(clinical)) {
    if (value !== undefined) row[key] = String(value).trim();
  }
  return row;
}

/**
 * The network's clinical indices for a study: each checkpoint column's value looked up in the
 * checkpoint's vocabulary (index i of column c is vocab[c][i]), as training encoded it. A column
 * the study lacks or a value the vocabulary does not hold is an InputError whose `file` names the
 * field (study.clinical.<column>) and whose message lists the accepted values.
 */
export function encodeForCheckpoint(clinical: ClinicalInput, schema: ClinicalSchema): Int32Array {
  const row = clinicalRow(clinical);
  const vocab: Record<string, readonly string[]> = {};
  schema.columns.forEach((c, i) => (vocab[c] = schema.vocab[i] ?? []));
  for (const c of schema.columns) {
    if (!(c in row)) {
      throw new InputError(`study.clinical.${c}: the checkpoint's network needs ${c} (its columns: ${schema.columns.join(', ')}); accepted values: ${vocab[c]!.join(', ')}`, {
        file: `study.clinical.${c}`,
        rule: 'clinical-column-missing',
      });
    }
  }
  try {
    return encodeClinical(row, schema.columns, vocab);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    const column = schema.columns.find((c) => !vocab[c]!.includes(row[c]!)) ?? 'clinical';
    throw new InputError(`study.clinical.${column}: ${err.message.replace(/^encodeClinical: /, '')}`, { file: `study.clinical.${column}`, rule: err.rule });
  }
}

/** The diameter the rules use at one time point: the one given, else the measured mean axial diameter when the segmentation is whole. */
export function diameterUsed(given: number | undefined, m: NoduleMeasurement): { mm: number | null; source: 'given' | 'measured' | null } {
  if (given !== undefined) return { mm: given, source: 'given' };
  if (m.found && !m.touchesBorder && m.meanDiameterMm !== null) return { mm: m.meanDiameterMm, source: 'measured' };
  return { mm: null, source: null };
}

/** Measured volume when it is a whole nodule's (found, not cut by the region border). */
export function reliableVolume(m: NoduleMeasurement): number | undefined {
  return m.found && !m.touchesBorder && m.volumeMm3 > 0 ? m.volumeMm3 : undefined;
}

/** The record clinicalScores takes: the study's fields, and per time point the diameter used and the reliable volume. */
export function clinicalRecord(studyId: string, input: StudyInput, m: { t0: NoduleMeasurement; t1: NoduleMeasurement }): ClinicalRecord {
  const c = input.clinical;
  const at = (tp: 't0' | 't1'): RuleMeasurement => ({
    diameterMm: diameterUsed(input[tp].diameter_mm, m[tp]).mm ?? undefined,
    volumeMm3: reliableVolume(m[tp]),
    type: input[tp].nodule_type,
    solidMm: input[tp].solid_mm,
  });
  return {
    subjectId: studyId,
    age: c.age,
    gender: c.gender,
    race: c.race,
    famhist: c.famhist,
    emphysema: c.emphysema,
    cigsmok: c.cigsmok,
    pkyr: c.pkyr,
    smokeyr: c.smokeyr,
    upperLobe: input.upper_lobe,
    spiculation: input.spiculation,
    noduleCount: input.nodule_count,
    days: input.days,
    t0: at('t0'),
    t1: at('t1'),
  };
}
