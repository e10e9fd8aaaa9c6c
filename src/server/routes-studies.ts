import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { InputError, NotFoundError } from '../util/errors.js';
import type { StudySummary, StudyView } from './api-types.js';
import type { AppServices } from './create-app.js';
import { PayloadTooLargeError } from './http-errors.js';
import { jobView } from './job-store.js';
import { fileResponse } from './static-web.js';
import { parseStudyInput } from './study-input.js';
import { uploadedFiles } from './study-service.js';

const id = z.uuid();
const VOLUME = /^(t0|t1)(-patch|-cam)?\.nii$/;

/** A path parameter that must be one of the server's ids; anything else is simply not found. */
export function idParam(value: string, what: string): string {
  if (!id.safeParse(value).success) throw new NotFoundError(`${what} ${value.slice(0, 64)} not found`);
  return value;
}

/** How much of a refused over-size body is read and dropped so that the client sees the 413 (beyond it the connection is closed). */
const DRAIN_BYTES = 256 * 1024 * 1024;

/** Reads and drops up to `cap` bytes of a body; true when it was read to its end. */
async function drain(body: ReadableStream<Uint8Array> | null, cap: number): Promise<boolean> {
  if (body === null) return true;
  const reader = body.getReader();
  let read = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return true;
    read += value.byteLength;
    if (read > cap) {
      await reader.cancel();
      return false;
    }
  }
}

/** Routes of studies, their jobs and volumes. */
export function registerStudyRoutes(app: Hono, s: AppServices): void {
  const tooLarge = (): PayloadTooLargeError =>
    new PayloadTooLargeError(`the upload is larger than this server's limit of ${s.maxUploadBytes} bytes (csfnet serve --max-upload-mb)`);
  app.post(
    '/api/studies',
    async (c, next) => {
      // A client that declares an over-size body gets its 413 after the body is read and dropped:
      // answering while it still sends would reset the connection before it reads the answer.
      if (Number(c.req.header('content-length') ?? 0) > s.maxUploadBytes) {
        if (!(await drain(c.req.raw.body, DRAIN_BYTES))) c.header('connection', 'close');
        throw tooLarge();
      }
      return next();
    },
    bodyLimit({
      maxSize: s.maxUploadBytes,
      onError: (c) => {
        c.header('connection', 'close');
        throw tooLarge();
      },
    }),
    async (c) => {
      const type = c.req.header('content-type') ?? '';
      if (!type.toLowerCase().startsWith('multipart/form-data')) {
        throw new InputError('POST /api/studies takes multipart/form-data with the files t0 and t1 and the JSON field study', { rule: 'not-multipart' });
      }
      let form: Record<string, unknown>;
      try {
        form = await c.req.parseBody();
      } catch (err) {
        if (err instanceof PayloadTooLargeError) throw err;
        throw new InputError(`the multipart body could not be parsed (${err instanceof Error ? err.message : String(err)})`, { rule: 'multipart-malformed' });
      }
      const study = form.study;
      const input = parseStudyInput(typeof study === 'string' ? study : undefined);
      const accepted = await s.studies.fromUpload(uploadedFiles(form), input);
      return c.json(accepted, 202);
    },
  );

  app.get('/api/studies', (c) => {
    const limit = z.coerce.number().int().min(1).max(1000).catch(200).parse(c.req.query('limit') ?? 200);
    const studies: StudySummary[] = s.store.listStudies(limit).map(({ study, job }) => ({
      id: study.id,
      label: study.label,
      created_at: study.createdAt,
      source: study.source,
      job: { id: job.id, status: job.status },
      p_malignant: job.result?.prediction?.p_malignant ?? null,
      lung_rads: job.result?.lung_rads.category ?? null,
    }));
    return c.json({ studies });
  });

  app.get('/api/studies/:id', (c) => {
    const study = s.store.getStudy(idParam(c.req.param('id'), 'study'));
    const view: StudyView = {
      id: study.id,
      label: study.label,
      created_at: study.createdAt,
      source: study.source,
      input: study.input,
      scans: study.scans,
      jobs: s.store.jobsOf(study.id).map(jobView),
    };
    return c.json(view);
  });

  app.post('/api/studies/:id/jobs', (c) => {
    const studyId = idParam(c.req.param('id'), 'study');
    const jobId = randomUUID();
    s.store.addJob(jobId, studyId);
    s.studies.wake();
    return c.json({ study_id: studyId, job_id: jobId, job_url: `/api/jobs/${jobId}` }, 202);
  });

  app.get('/api/studies/:id/volumes/:name', (c) => {
    const studyId = idParam(c.req.param('id'), 'study');
    const name = c.req.param('name');
    s.store.getStudy(studyId);
    const path = join(s.studiesDir, studyId, name);
    if (!VOLUME.test(name) || !existsSync(path)) throw new NotFoundError(`study ${studyId} has no volume ${name.slice(0, 64)}`);
    return fileResponse(path, 'application/octet-stream', { 'content-disposition': `attachment; filename="${name}"` });
  });

  app.get('/api/jobs/:id', (c) => c.json(jobView(s.store.getJob(idParam(c.req.param('id'), 'job')))));
}
