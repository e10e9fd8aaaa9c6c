import { z } from 'zod';
import {
  acceptedSchema,
  cohortSubjectSchema,
  cohortSummarySchema,
  errorBodySchema,
  healthSchema,
  jobViewSchema,
  reportDetailSchema,
  reportSummarySchema,
  serverInfoSchema,
  studySummarySchema,
  studyViewSchema,
} from './api-types.js';
import { studyInputSchema } from './study-input.js';

type Json = Record<string, unknown>;

const schema = (s: z.ZodType, io: 'input' | 'output' = 'output'): Json => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Json;
  return rest;
};
const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string, description: string): Json => ({ description, content: { 'application/json': { schema: ref(name) } } });
const errors = (...codes: number[]): Json =>
  Object.fromEntries(codes.map((c) => [String(c), json('Error', ERROR_TEXT[c] ?? 'error')]));

const ERROR_TEXT: Record<number, string> = {
  400: 'malformed input: the body names the rule and the field, file or archive entry',
  401: 'missing or wrong bearer token',
  404: 'no such resource',
  413: 'upload over the configured size (or too large once unpacked)',
  500: 'internal error',
};

const pathId = (name: string, description: string): Json => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });

/**
 * The OpenAPI 3.1 document of the API, served at /api/openapi.json. Its schemas are generated from
 * the zod schemas the server validates with (study-input.ts) and answers with (api-types.ts), so
 * the document cannot drift from the code.
 */
export function openApiDocument(version: string): Json {
  const volume = { description: 'NIfTI-1 file', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } };
  return {
    openapi: '3.1.0',
    info: {
      title: 'csf-net server',
      version,
      description:
        'Lung-nodule malignancy from two follow-up chest CTs and clinical data (CSF-Net, arXiv 2501.16400), with growth, Lung-RADS v2022 and Brock. ' +
        'Every route but /api/health needs "Authorization: Bearer TOKEN". Coordinates are millimetres in DICOM patient space (LPS).',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: schema(errorBodySchema),
        StudyInput: schema(studyInputSchema, 'input'),
        Accepted: schema(acceptedSchema),
        Job: schema(jobViewSchema),
        StudySummary: schema(studySummarySchema),
        Study: schema(studyViewSchema),
        ServerInfo: schema(serverInfoSchema),
        Health: schema(healthSchema),
        CohortSummary: schema(cohortSummarySchema),
        CohortSubject: schema(cohortSubjectSchema),
        ReportSummary: schema(reportSummarySchema),
        ReportDetail: schema(reportDetailSchema),
      },
    },
    security: [{ bearer: [] }],
    paths: {
      '/api/health': { get: { summary: 'liveness (no token needed)', security: [], responses: { 200: json('Health', 'the server is up') } } },
      '/api/openapi.json': { get: { summary: 'this document', responses: { 200: { description: 'OpenAPI 3.1' }, ...errors(401) } } },
      '/api/info': { get: { summary: 'limits, checkpoint and its clinical columns, queue', responses: { 200: json('ServerInfo', 'server facts'), ...errors(401) } } },
      '/api/studies': {
        get: {
          summary: 'studies, newest first, with their latest job',
          parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 200 } }],
          responses: { 200: { description: 'list', content: { 'application/json': { schema: { type: 'object', properties: { studies: { type: 'array', items: ref('StudySummary') } } } } } }, ...errors(401) },
        },
        post: {
          summary: 'upload the T0 and T1 scans of a subject; answers with the job id once the scans are read and checked, without waiting for the prediction',
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  required: ['t0', 't1', 'study'],
                  properties: {
                    t0: { type: 'string', format: 'binary', description: 'zip of one DICOM series, a NIfTI file (.nii, .nii.gz) or a MetaImage .mha' },
                    t1: { type: 'string', format: 'binary', description: 'as t0, the follow-up scan' },
                    study: { type: 'string', description: 'JSON text of a StudyInput', contentMediaType: 'application/json', contentSchema: ref('StudyInput') },
                  },
                },
              },
            },
          },
          responses: { 202: json('Accepted', 'study stored, prediction queued'), ...errors(400, 401, 413) },
        },
      },
      '/api/studies/{id}': { get: { summary: 'one study: input, scan geometry, jobs', parameters: [pathId('id', 'study id')], responses: { 200: json('Study', 'the study'), ...errors(401, 404) } } },
      '/api/studies/{id}/jobs': { post: { summary: 'predict again (e.g. with a new checkpoint)', parameters: [pathId('id', 'study id')], responses: { 202: json('Accepted', 'queued'), ...errors(401, 404) } } },
      '/api/studies/{id}/volumes/{name}': {
        get: {
          summary: 'a volume of the study: t0.nii, t1.nii (de-identified scans), t0-patch.nii, t1-patch.nii (16x64x64 model input), t0-cam.nii, t1-cam.nii (Grad-CAM)',
          parameters: [pathId('id', 'study id'), pathId('name', 'volume file name')],
          responses: { 200: volume, ...errors(401, 404) },
        },
      },
      '/api/jobs/{id}': { get: { summary: 'a job: queued, running, done (with the result) or failed (with the reason)', parameters: [pathId('id', 'job id')], responses: { 200: json('Job', 'the job'), ...errors(401, 404) } } },
      '/api/cohorts': { get: { summary: 'cohorts the server was started with (--cohort)', responses: { 200: { description: 'list', content: { 'application/json': { schema: { type: 'object', properties: { cohorts: { type: 'array', items: ref('CohortSummary') } } } } } }, ...errors(401) } } },
      '/api/cohorts/{name}/subjects': { get: { summary: "a cohort's subjects with their validation", parameters: [pathId('name', 'cohort name')], responses: { 200: { description: 'list', content: { 'application/json': { schema: { type: 'object', properties: { subjects: { type: 'array', items: ref('CohortSubject') } } } } } }, ...errors(401, 404) } } },
      '/api/cohorts/{name}/subjects/{subject}/predict': { post: { summary: 'predict a cohort subject already on the server', parameters: [pathId('name', 'cohort name'), pathId('subject', 'subject_id')], responses: { 202: json('Accepted', 'study made, prediction queued'), ...errors(400, 401, 404) } } },
      '/api/reports': { get: { summary: 'cross-validation runs of the registry', responses: { 200: { description: 'list', content: { 'application/json': { schema: { type: 'object', properties: { reports: { type: 'array', items: ref('ReportSummary') } } } } } }, ...errors(401) } } },
      '/api/reports/{id}': { get: { summary: 'one run: folds and metrics', parameters: [pathId('id', 'run id')], responses: { 200: json('ReportDetail', 'the run'), ...errors(401, 404) } } },
      '/api/reports/{id}/files/{name}': { get: { summary: "a file of the run's report folder (report.html, report.md, evaluation.json, predictions.csv, figures)", parameters: [pathId('id', 'run id'), pathId('name', 'file name')], responses: { 200: { description: 'the file' }, ...errors(401, 404) } } },
    },
  };
}
