import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAdaptorServer } from '@hono/node-server';
import { DEFAULT_READ_LIMITS } from '../imaging/read-limits.js';
import { loadCheckpoint, type ClinicalSchema } from '../model/checkpoint.js';
import { MODEL_PARTS } from '../model/variants.js';
import { ConfigError } from '../util/errors.js';
import type { ServerInfo } from './api-types.js';
import { CohortService } from './cohort-service.js';
import { createApp } from './create-app.js';
import { JobRunner } from './job-runner.js';
import { JobStore } from './job-store.js';
import { ProcessPool } from './process-pool.js';
import { ReportService } from './report-service.js';
import { redact, ServerLog, type LogSink } from './server-log.js';
import { resolveToken, type ServerToken } from './server-token.js';
import { StudyService } from './study-service.js';

export interface ServerOptions {
  readonly host: string;
  /** 0 picks a free port (the answer says which). */
  readonly port: number;
  /** The server's folder: server.db, token, studies/, uploads/ (created owner-only). */
  readonly dataDir: string;
  /** Checkpoint (safetensors with csf-net metadata), or null: everything but the network prediction. */
  readonly checkpoint: string | null;
  /** Bearer token; null: the one stored in the data folder, made at the first start. */
  readonly token: string | null;
  /** Largest request body of an upload (both scans together), in bytes. */
  readonly maxUploadBytes: number;
  /** Worker processes for predictions (one job at a time each). */
  readonly workers: number;
  /** A job running longer is stopped and marked failed. */
  readonly jobTimeoutMs: number;
  /** Starts of a job interrupted by server stops before it is marked failed. */
  readonly maxAttempts: number;
  /** Cohort folders whose subjects can be predicted. */
  readonly cohorts: readonly string[];
  /** Run registry (SQLite) whose cross-validation reports are shown; null for none. */
  readonly registry: string | null;
  readonly version: string;
  /** Where the log lines go. */
  readonly log: LogSink;
  /** The built viewer; default web/dist of this package. */
  readonly webDir?: string;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly token: ServerToken;
  /** Stops accepting requests, stops the workers (running jobs return to the queue) and closes the store. */
  close(): Promise<void>;
}

/** web/dist beside this package's dist/ (dist/src/server/ -> three levels up). */
export function defaultWebDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'web', 'dist');
}

/**
 * Starts the csf-net server: data folder, token, store (recovering jobs a stopped server left
 * running), worker pools for intake and predictions, and the HTTP listener on `host:port`.
 */
export async function startServer(o: ServerOptions): Promise<RunningServer> {
  const log = new ServerLog(o.log);
  const dataDir = resolve(o.dataDir);
  if (!existsSync(dataDir)) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if ((statSync(dataDir).mode & 0o077) !== 0) log.warn('data-folder-open', { note: 'the data folder is readable by other users: chmod 700 it' });
  const studiesDir = join(dataDir, 'studies');
  const uploadsDir = join(dataDir, 'uploads');
  mkdirSync(studiesDir, { recursive: true, mode: 0o700 });
  rmSync(uploadsDir, { recursive: true, force: true });
  mkdirSync(uploadsDir, { recursive: true, mode: 0o700 });
  const token = resolveToken(dataDir, o.token);

  let clinicalSchema: ClinicalSchema | null = null;
  let checkpointInfo: ServerInfo['checkpoint'] = null;
  if (o.checkpoint !== null) {
    if (!existsSync(o.checkpoint)) throw new ConfigError(`--checkpoint ${o.checkpoint}: file not found`);
    const loaded = loadCheckpoint(o.checkpoint);
    const c = loaded.model.config;
    // Only a network that uses clinical data needs the fields (the ablations without it do not).
    clinicalSchema = MODEL_PARTS[c.model].clinical ? loaded.clinical : null;
    checkpointInfo = { file: basename(o.checkpoint), model: c.model, variant: c.variant, clinical_columns: clinicalSchema?.columns ?? [], clinical_vocab: clinicalSchema?.vocab ?? [] };
  }
  const cohorts = new CohortService(o.cohorts);
  const reports = new ReportService(o.registry);

  const store = JobStore.open(join(dataDir, 'server.db'));
  const known = store.studyIds();
  for (const name of readdirSync(studiesDir)) {
    if (!known.has(name)) rmSync(join(studiesDir, name), { recursive: true, force: true });
  }

  const script = fileURLToPath(new URL('./worker-main.js', import.meta.url));
  const onStderr = (line: string): void => log.warn('worker-stderr', { line: redact(line).slice(0, 500) });
  const workers = Math.max(1, o.workers);
  const jobs = new ProcessPool({ name: 'jobs', size: workers, script, args: ['--csfnet-worker=jobs', dataDir], taskTimeoutMs: o.jobTimeoutMs, onStderr });
  const intake = new ProcessPool({ name: 'intake', size: Math.min(2, workers), script, args: ['--csfnet-worker=intake', dataDir], taskTimeoutMs: o.jobTimeoutMs, onStderr });
  const threads = Math.max(1, Math.floor(availableParallelism() / workers));
  const runner = new JobRunner(store, jobs, { studiesDir, checkpoint: o.checkpoint === null ? null : resolve(o.checkpoint), threads, maxAttempts: o.maxAttempts }, log);
  const unzip = { maxEntries: DEFAULT_READ_LIMITS.maxFiles, maxBytes: Math.min(8 * 1024 ** 3, 4 * o.maxUploadBytes) };
  const studies = new StudyService(store, intake, runner, { uploadsDir, studiesDir, unzip, read: DEFAULT_READ_LIMITS, clinicalSchema });

  const info = (): ServerInfo => {
    const counts = store.counts();
    return {
      version: o.version,
      max_upload_bytes: o.maxUploadBytes,
      workers,
      checkpoint: checkpointInfo,
      queue: { queued: counts.queued, running: counts.running },
      cohorts: cohorts.names(),
      reports_available: reports.available(),
    };
  };
  const app = createApp({ store, studies, cohorts, reports, log, token: token.token, version: o.version, maxUploadBytes: o.maxUploadBytes, studiesDir, webDir: o.webDir ?? defaultWebDir(), info });

  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(new ConfigError(`cannot listen on ${o.host}:${o.port}: ${err.code ?? err.message}`)));
    server.listen(o.port, o.host, () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  runner.start();
  log.info('started', { port, workers, threads, checkpoint: checkpointInfo !== null, cohorts: cohorts.names().length });

  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${port}`,
    port,
    token,
    close: () =>
      (closing ??= (async () => {
        await new Promise<void>((r) => {
          server.close(() => r());
          server.closeAllConnections();
        });
        await runner.stop();
        await intake.close();
        store.close();
        reports.close();
        log.info('stopped');
      })()),
  };
}
