import type { Hono } from 'hono';
import { extname } from 'node:path';
import { z } from 'zod';
import { NotFoundError } from '../util/errors.js';
import type { AppServices } from './create-app.js';
import { fileResponse } from './static-web.js';

const REPORT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.json': 'application/json',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
};

function runId(value: string): number {
  const n = z.coerce.number().int().positive().safeParse(value);
  if (!n.success) throw new NotFoundError(`run ${value.slice(0, 32)} not found`);
  return n.data;
}

/** Routes of the cohorts on the server and the registry's cross-validation reports. */
export function registerCatalogRoutes(app: Hono, s: AppServices): void {
  app.get('/api/cohorts', (c) => c.json({ cohorts: s.cohorts.list() }));
  app.get('/api/cohorts/:name/subjects', (c) => c.json({ subjects: s.cohorts.subjects(c.req.param('name')) }));
  app.post('/api/cohorts/:name/subjects/:subject/predict', async (c) => {
    const name = c.req.param('name');
    const subject = c.req.param('subject');
    const { paths, input } = s.cohorts.subjectStudy(name, subject);
    const accepted = await s.studies.fromPaths(paths, input, { kind: 'cohort', cohort: name, subject_id: subject }, input.label ?? `${name}/${subject}`);
    return c.json(accepted, 202);
  });

  app.get('/api/reports', (c) => c.json({ reports: s.reports.list() }));
  app.get('/api/reports/:id', (c) => c.json(s.reports.detail(runId(c.req.param('id')))));
  app.get('/api/reports/:id/files/:name', (c) => {
    const name = c.req.param('name');
    const path = s.reports.file(runId(c.req.param('id')), name);
    // A report is shown inside a sandboxed frame; it may not run scripts or reach anything.
    return fileResponse(path, REPORT_TYPES[extname(name)] ?? 'application/octet-stream', { 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox" });
  });
}
