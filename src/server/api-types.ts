import { z } from 'zod';
import { studyInputSchema } from './study-input.js';

/**
 * The JSON the server answers with, as zod schemas: the OpenAPI document (openapi.ts) is generated
 * from them, the API tests check every answer against them, and the web viewer imports the types.
 * Field names are snake_case, as the cohort format's columns.
 */

export const errorBodySchema = z.object({
  error: z.object({
    status: z.number().int(),
    message: z.string(),
    /** Short name of the rule that was broken (e.g. "zip-path-traversal", "centre-outside-volume"). */
    rule: z.string().optional(),
    /** The form field, file or archive entry the problem is in. */
    where: z.string().optional(),
  }),
});

export const jobStatusSchema = z.enum(['queued', 'running', 'done', 'failed']);

const assumptionSchema = z.object({ field: z.string(), value: z.union([z.string(), z.number(), z.boolean()]), note: z.string() });

export const scoreSchema = z.object({
  rule: z.string(),
  score: z.number().nullable(),
  detail: z.string(),
  assumed: z.array(assumptionSchema),
  missing: z.array(z.string()),
});

export const measurementSchema = z.object({
  found: z.boolean(),
  touches_border: z.boolean(),
  volume_mm3: z.number().nullable(),
  mean_diameter_mm: z.number().nullable(),
  long_axis_mm: z.number().nullable(),
  short_axis_mm: z.number().nullable(),
  /** The diameter the clinical rules used and where it came from. */
  diameter_used_mm: z.number().nullable(),
  diameter_source: z.enum(['given', 'measured']).nullable(),
  note: z.string(),
});

export const predictionSchema = z.object({
  p_malignant: z.number().min(0).max(1),
  model: z.string(),
  variant: z.string(),
  checkpoint: z.string(),
  backend: z.string(),
  /** Clinical values the network was given, by column. */
  clinical: z.record(z.string(), z.string()),
});

const link = z.string().nullable();

export const studyResultSchema = z.object({
  prediction: predictionSchema.nullable(),
  /** Why there is no prediction, or what it rests on. */
  prediction_note: z.string(),
  measurements: z.object({ t0: measurementSchema, t1: measurementSchema }),
  growth: z.object({
    days: z.number(),
    diameter_change_mm: z.number().nullable(),
    volume_ratio: z.number().nullable(),
    vdt_days: z.number().nullable(),
    vdt_method: z.enum(['volume', 'diameter']).nullable(),
    interpretation: z.string().nullable(),
    detail: z.string(),
  }),
  lung_rads: z.object({ category: z.string().nullable(), detail: z.string(), assumed: z.array(assumptionSchema), missing: z.array(z.string()) }),
  brock: z.object({ p: z.number().nullable(), model: z.literal('brock-2b'), detail: z.string(), assumed: z.array(assumptionSchema), missing: z.array(z.string()) }),
  scores: z.array(scoreSchema),
  links: z.object({ t0: z.string(), t1: z.string(), t0_patch: z.string(), t1_patch: z.string(), t0_cam: link, t1_cam: link }),
  seconds: z.number(),
});

export const jobViewSchema = z.object({
  id: z.string(),
  study_id: z.string(),
  status: jobStatusSchema,
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  /** How many times the job was started (more than 1 after a server restart re-ran it). */
  attempts: z.number().int(),
  error: z.object({ message: z.string(), rule: z.string().optional() }).nullable(),
  result: studyResultSchema.nullable(),
});

export const scanInfoSchema = z.object({
  reader: z.string(),
  shape: z.array(z.number().int()).length(3),
  spacing: z.array(z.number()).length(3),
  origin: z.array(z.number()).length(3),
  /** Row-major 3x3, column c is the world (LPS) direction of voxel axis c. */
  direction: z.array(z.number()).length(9),
  /** World (LPS, mm) bounds of the voxel centres. */
  bounds: z.object({ min: z.array(z.number()).length(3), max: z.array(z.number()).length(3) }),
});

export const studySourceSchema = z.union([
  z.object({ kind: z.literal('upload') }),
  z.object({ kind: z.literal('cohort'), cohort: z.string(), subject_id: z.string() }),
]);

export const studySummarySchema = z.object({
  id: z.string(),
  label: z.string(),
  created_at: z.string(),
  source: studySourceSchema,
  job: z.object({ id: z.string(), status: jobStatusSchema }),
  p_malignant: z.number().nullable(),
  lung_rads: z.string().nullable(),
});

export const studyViewSchema = z.object({
  id: z.string(),
  label: z.string(),
  created_at: z.string(),
  source: studySourceSchema,
  input: studyInputSchema,
  scans: z.object({ t0: scanInfoSchema, t1: scanInfoSchema }),
  jobs: z.array(jobViewSchema),
});

export const acceptedSchema = z.object({ study_id: z.string(), job_id: z.string(), job_url: z.string() });

export const healthSchema = z.object({ status: z.literal('ok'), version: z.string() });

export const serverInfoSchema = z.object({
  version: z.string(),
  max_upload_bytes: z.number().int(),
  workers: z.number().int(),
  checkpoint: z
    .object({ file: z.string(), model: z.string(), variant: z.string(), clinical_columns: z.array(z.string()), clinical_vocab: z.array(z.array(z.string())) })
    .nullable(),
  queue: z.object({ queued: z.number().int(), running: z.number().int() }),
  cohorts: z.array(z.string()),
  reports_available: z.boolean(),
});

export const cohortSummarySchema = z.object({ name: z.string(), subjects: z.number().int(), usable: z.number().int() });

export const cohortSubjectSchema = z.object({
  id: z.string(),
  label: z.union([z.literal(0), z.literal(1)]).nullable(),
  usable: z.boolean(),
  problems: z.array(z.string()),
  timepoints: z.array(z.string()),
});

export type ErrorBody = z.infer<typeof errorBodySchema>;
export type JobStatus = z.infer<typeof jobStatusSchema>;
export type Score = z.infer<typeof scoreSchema>;
export type Measurement = z.infer<typeof measurementSchema>;
export type Prediction = z.infer<typeof predictionSchema>;
export type StudyResult = z.infer<typeof studyResultSchema>;
export type JobView = z.infer<typeof jobViewSchema>;
export type ScanInfo = z.infer<typeof scanInfoSchema>;
export type StudySource = z.infer<typeof studySourceSchema>;
export type StudySummary = z.infer<typeof studySummarySchema>;
export type StudyView = z.infer<typeof studyViewSchema>;
export type Accepted = z.infer<typeof acceptedSchema>;
export type ServerInfo = z.infer<typeof serverInfoSchema>;
export type CohortSummary = z.infer<typeof cohortSummarySchema>;
export type CohortSubject = z.infer<typeof cohortSubjectSchema>;
export type { StudyInput } from './study-input.js';

export const reportSummarySchema = z.object({
  id: z.number().int(),
  kind: z.string(),
  status: z.string(),
  /** The cohort folder's name (never the server's path). */
  cohort: z.string().nullable(),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  error: z.string().nullable(),
  /** Whether report.html was written for this run. */
  has_report: z.boolean(),
});

export const reportDetailSchema = reportSummarySchema.extend({
  seed: z.number(),
  code_version: z.string(),
  config: z.unknown(),
  folds: z.array(
    z.object({ model: z.string(), fold: z.number().int(), best_epoch: z.number().int().nullable(), n_train: z.number().int(), n_validation: z.number().int(), n_test: z.number().int(), seconds: z.number().nullable() }),
  ),
  metrics: z.array(z.object({ model: z.string(), scope: z.string(), name: z.string(), value: z.number().nullable(), lo: z.number().nullable(), hi: z.number().nullable() })),
  predictions: z.number().int(),
  /** Files of the report folder the server serves (GET /api/reports/{id}/files/{name}). */
  files: z.array(z.string()),
});

export type ReportSummary = z.infer<typeof reportSummarySchema>;
export type ReportDetail = z.infer<typeof reportDetailSchema>;
