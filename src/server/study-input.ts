import { z } from 'zod';
import { NODULE_TYPES } from '../clinical/nodule-type.js';
import { InputError } from '../util/errors.js';

/**
 * What a client sends with the two scans of a subject (POST /api/studies, field `study`, JSON): the
 * nodule centre on each scan, the days between them and the clinical data, in the codings of the
 * cohort format (../shared/docs/cohort-format.md: subjects.csv and scans.csv columns, NLST codes).
 * Unknown keys are refused, so a misspelt field is an error and not a silently missing value.
 */
const coordinate = (axis: string) => z.number({ message: `${axis} must be a number (mm, LPS)` }).finite().min(-10000).max(10000);
const flag = (name: string) => z.union([z.literal(0), z.literal(1)], { message: `${name} must be 0 or 1` });
const code = (name: string, values: readonly number[]) =>
  z.number().refine((v) => values.includes(v), { message: `${name} must be one of ${values.join(', ')}` });

export const scanInputSchema = z
  .object({
    x: coordinate('x'),
    y: coordinate('y'),
    z: coordinate('z'),
    /** Mean axial diameter read by a person; it overrides the automatic measurement. */
    diameter_mm: z.number().gt(0).max(300).optional(),
    nodule_type: z.enum(NODULE_TYPES, { message: `nodule_type must be one of ${NODULE_TYPES.join(', ')}` }).optional(),
    /** Solid component of a part-solid nodule (mm). */
    solid_mm: z.number().gt(0).max(300).optional(),
  })
  .strict();

/** Clinical fields in NLST codings; other columns a checkpoint needs may be added as text. */
export const clinicalInputSchema = z
  .object({
    age: z.number().int().min(18).max(120).optional(),
    gender: code('gender (1 male, 2 female)', [1, 2]).optional(),
    race: code('race (NLST coding)', [1, 2, 3, 4, 5, 6, 7, 95, 96, 98, 99]).optional(),
    cigsmok: flag('cigsmok (1 current, 0 former)').optional(),
    pkyr: z.number().min(0).max(300).optional(),
    smokeyr: z.number().min(0).max(120).optional(),
    famhist: flag('famhist').optional(),
    emphysema: flag('emphysema').optional(),
  })
  .catchall(z.union([z.string().max(200), z.number().finite()]));

export const studyInputSchema = z
  .object({
    /** A short name shown in the study list (never a patient name: it is stored as given). */
    label: z.string().trim().max(80).optional(),
    /** Days from the T0 scan to the T1 scan. */
    days: z.number().int().min(1).max(7300),
    t0: scanInputSchema,
    t1: scanInputSchema,
    upper_lobe: flag('upper_lobe').optional(),
    spiculation: flag('spiculation').optional(),
    /** Nodules on the scan, this one included. */
    nodule_count: z.number().int().min(1).max(100).optional(),
    clinical: clinicalInputSchema.default({}),
  })
  .strict();

export type ScanInput = z.infer<typeof scanInputSchema>;
export type ClinicalInput = z.infer<typeof clinicalInputSchema>;
export type StudyInput = z.infer<typeof studyInputSchema>;

/**
 * Parses the `study` field of an upload: JSON text checked against studyInputSchema. Every problem
 * is an InputError (rule "study-json" or "study-field") whose message and `file` name the field.
 */
export function parseStudyInput(text: string | undefined): StudyInput {
  if (text === undefined || text.trim() === '') {
    throw new InputError('study: the form field "study" (JSON with the nodule centres, days and clinical data) is missing', {
      file: 'study',
      rule: 'study-missing',
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new InputError(`study: not valid JSON (${err instanceof Error ? err.message : String(err)})`, { file: 'study', rule: 'study-json' });
  }
  return checkStudyInput(raw);
}

/** Checks an already parsed value against studyInputSchema (InputError naming the first bad field). */
export function checkStudyInput(raw: unknown): StudyInput {
  const parsed = studyInputSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = ['study', ...issue.path.map(String)].join('.');
  throw new InputError(`${field}: ${issue.message}`, { file: field, rule: 'study-field' });
}
