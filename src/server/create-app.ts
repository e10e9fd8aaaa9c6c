import { Hono } from 'hono';
import { routePath } from 'hono/route';
import type { ServerInfo } from './api-types.js';
import type { CohortService } from './cohort-service.js';
import { errorResponse, UnauthorizedError } from './http-errors.js';
import type { JobStore } from './job-store.js';
import { openApiDocument } from './openapi.js';
import type { ReportService } from './report-service.js';
import { registerCatalogRoutes } from './routes-catalog.js';
import { registerStudyRoutes } from './routes-studies.js';
import type { ServerLog } from './server-log.js';
import { tokenMatches } from './server-token.js';
import { webResponse } from './static-web.js';
import type { StudyService } from './study-service.js';

/** What the routes work with. */
export interface AppServices {
  readonly store: JobStore;
  readonly studies: StudyService;
  readonly cohorts: CohortService;
  readonly reports: ReportService;
  readonly log: ServerLog;
  readonly token: string;
  readonly version: string;
  readonly maxUploadBytes: number;
  /** data/studies. */
  readonly studiesDir: string;
  /** The built viewer (web/dist). */
  readonly webDir: string;
  readonly info: () => ServerInfo;
}

/**
 * The HTTP application (Hono): routes are thin, the services do the work. Every /api route but
 * /api/health needs `Authorization: Bearer TOKEN`; errors become JSON bodies with the status of
 * their type (http-errors.ts); every request is logged as method, route pattern, status and time,
 * never with its path values or content. Paths outside /api serve the viewer.
 */
export function createApp(s: AppServices): Hono {
  const app = new Hono();

  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    c.header('x-content-type-options', 'nosniff');
    c.header('referrer-policy', 'no-referrer');
    if (c.req.path.startsWith('/api/')) c.header('cache-control', 'no-store');
    s.log.info('request', { method: c.req.method, route: routePath(c), status: c.res.status, ms: Math.round(performance.now() - started) });
  });

  app.use('/api/*', async (c, next) => {
    if (c.req.path === '/api/health') return next();
    const header = c.req.header('authorization');
    const presented = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (!tokenMatches(s.token, presented)) {
      c.header('www-authenticate', 'Bearer realm="csf-net"');
      throw new UnauthorizedError(
        header === undefined ? 'this route needs the header "Authorization: Bearer TOKEN" (the token the server printed at its first start)' : 'the bearer token is not valid',
      );
    }
    return next();
  });

  app.get('/api/health', (c) => c.json({ status: 'ok' as const, version: s.version }));
  app.get('/api/openapi.json', (c) => c.json(openApiDocument(s.version)));
  app.get('/api/info', (c) => c.json(s.info()));
  registerStudyRoutes(app, s);
  registerCatalogRoutes(app, s);
  app.all('/api/*', (c) => c.json({ error: { status: 404, message: `no route ${c.req.method} ${c.req.path}`, rule: 'no-route' } }, 404));
  app.get('*', (c) => webResponse(s.webDir, c.req.path));

  app.onError((err, c) => {
    const { status, body, rule } = errorResponse(err);
    if (status >= 500) s.log.warn('error', { route: routePath(c), status, rule });
    c.header('cache-control', 'no-store');
    return c.json(body, status as 400);
  });
  return app;
}
