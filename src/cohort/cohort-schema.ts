import { z } from 'zod';

/**
 * The cohort contract of ../shared/docs/cohort-format.md as zod schemas over the raw CSV cells
 * (strings; blank = not known). Parsing turns a row into typed values or a list of issues per column.
 */

const blank = (s: string): boolean => s.trim() === '';

/** An optional cell: blank -> undefined, else the schema applied to the text. */
function optional<O>(schema: z.ZodType<O, string>) {
  return z
    .string()
    .optional()
    .transform((s) => (s === undefined || blank(s) ? undefined : s.trim()))
    .pipe(schema.optional());
}

/** Text that is an integer (no decimals), within [min, max]. */
const integer = (min: number, max: number, what: string) =>
  z
    .string()
    .regex(/^[+-]?\d+$/, `${what} must be a whole number`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `${what} must be between ${min} and ${max}`);

/** Text that is a finite decimal number, within [min, max]. */
const decimal = (min: number, max: number, what: string) =>
  z
    .string()
    .regex(/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/, `${what} must be a number`)
    .transform(Number)
    .refine((n) => Number.isFinite(n) && n >= min && n <= max, `${what} must be between ${min} and ${max}`);

/** One of the listed codes, given as text. */
const code = (codes: readonly number[], what: string) =>
  z
    .string()
    .refine((s) => codes.includes(Number(s)) && /^\d+$/.test(s), `${what} must be one of ${codes.join(', ')}`)
    .transform(Number);

/** Clinical columns the contract defines (NLST codings); others are kept as raw text. */
export const KNOWN_CLINICAL_COLUMNS = ['age', 'gender', 'race', 'cigsmok', 'pkyr', 'smokeyr', 'famhist', 'emphysema'] as const;

export const subjectRowSchema = z.object({
  subject_id: z.string().trim().min(1, 'subject_id must not be empty'),
  label: optional(code([0, 1], 'label (1 malignant, 0 benign)')),
  age: optional(integer(0, 120, 'age')),
  gender: optional(code([1, 2], 'gender (NLST: 1 male, 2 female)')),
  race: optional(code([1, 2, 3, 4, 5, 6, 7, 95, 96, 98, 99], 'race (NLST coding)')),
  cigsmok: optional(code([0, 1], 'cigsmok (1 current, 0 former)')),
  pkyr: optional(decimal(0, 300, 'pkyr (pack-years)')),
  smokeyr: optional(decimal(0, 120, 'smokeyr (years smoked)')),
  famhist: optional(code([0, 1], 'famhist')),
  emphysema: optional(code([0, 1], 'emphysema')),
});

export const NODULE_TYPES = ['solid', 'part-solid', 'ground-glass', 'calcified'] as const;
export type NoduleType = (typeof NODULE_TYPES)[number];

export const scanRowSchema = z.object({
  subject_id: z.string().trim().min(1, 'subject_id must not be empty'),
  timepoint: z.string().trim().regex(/^T\d+$/, 'timepoint must be T0, T1, T2, ...'),
  days: integer(0, 36500, 'days'),
  image: z.string().trim().min(1, 'image must name a DICOM folder or an image file'),
  x: decimal(-10000, 10000, 'x'),
  y: decimal(-10000, 10000, 'y'),
  z: decimal(-10000, 10000, 'z'),
  diameter_mm: optional(decimal(0.1, 300, 'diameter_mm')),
  nodule_type: optional(z.enum(NODULE_TYPES, { message: `nodule_type must be one of ${NODULE_TYPES.join(', ')}` })),
  upper_lobe: optional(code([0, 1], 'upper_lobe')),
  spiculation: optional(code([0, 1], 'spiculation')),
});

export const REQUIRED_SUBJECT_COLUMNS = ['subject_id'] as const;
export const REQUIRED_SCAN_COLUMNS = ['subject_id', 'timepoint', 'days', 'image', 'x', 'y', 'z'] as const;

export type SubjectRow = z.infer<typeof subjectRowSchema>;
export type ScanRow = z.infer<typeof scanRowSchema>;

/** zod issues as "column: message" lines. */
export function issueLines(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`);
}
