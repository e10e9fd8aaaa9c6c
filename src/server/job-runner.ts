import { join } from 'node:path';
import { CsfnetError } from '../util/errors.js';
import type { StudyResult } from './api-types.js';
import type { JobRecord, JobStore } from './job-store.js';
import type { PredictResult } from './predict-study.js';
import type { ProcessPool } from './process-pool.js';
import type { ServerLog } from './server-log.js';

export interface JobRunnerOptions {
  /** data/studies: one folder per study. */
  readonly studiesDir: string;
  readonly checkpoint: string | null;
  /** Native threads per worker process. */
  readonly threads: number;
  /** How often a job interrupted by a server stop is started before it is marked failed. */
  readonly maxAttempts: number;
}

/** The links of a study's files (routes of create-app.ts). */
export function studyLinks(studyId: string, cams: { t0: boolean; t1: boolean }): StudyResult['links'] {
  const v = (name: string): string => `/api/studies/${studyId}/volumes/${name}.nii`;
  return { t0: v('t0'), t1: v('t1'), t0_patch: v('t0-patch'), t1_patch: v('t1-patch'), t0_cam: cams.t0 ? v('t0-cam') : null, t1_cam: cams.t1 ? v('t1-cam') : null };
}

/**
 * Moves jobs from the store to the worker pool: whenever a worker is free it claims the oldest
 * queued job (marked running in the same statement), runs the prediction there and records the
 * result or the reason of the failure. The store is the queue, so queued jobs survive a restart;
 * start() first deals with jobs a stopped server left running (JobStore.recoverInterrupted).
 */
export class JobRunner {
  private stopped = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly store: JobStore,
    private readonly pool: ProcessPool,
    private readonly options: JobRunnerOptions,
    private readonly log: ServerLog,
  ) {
    pool.onFree = () => this.pump();
  }

  start(): void {
    const { requeued, failed } = this.store.recoverInterrupted(this.options.maxAttempts);
    for (const id of requeued) this.log.warn('job-requeued', { job: id, reason: 'interrupted by a server stop' });
    for (const id of failed) this.log.warn('job-failed', { job: id, rule: 'interrupted' });
    this.pump();
  }

  /** Starts queued jobs while workers are free. */
  pump(): void {
    while (!this.stopped && this.pool.free > 0) {
      const job = this.store.claimNext();
      if (job === null) return;
      const run = this.execute(job).finally(() => this.inFlight.delete(run));
      this.inFlight.add(run);
    }
  }

  /**
   * Stops taking jobs and closes the pool; jobs it was running go back to the queue without counting
   * the attempt, to run again at the next start.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.pool.close();
    await Promise.allSettled([...this.inFlight]);
  }

  private async execute(job: JobRecord): Promise<void> {
    const started = performance.now();
    this.log.info('job-started', { job: job.id, attempt: job.attempts });
    try {
      const study = this.store.getStudy(job.studyId);
      const result: PredictResult = await this.pool.run({
        kind: 'predict',
        studyId: study.id,
        studyDir: join(this.options.studiesDir, study.id),
        input: study.input,
        checkpoint: this.options.checkpoint,
        threads: this.options.threads,
      });
      const { cams, ...rest } = result;
      if (this.stopped) return this.store.requeue(job.id);
      this.store.finish(job.id, { ...rest, links: studyLinks(study.id, cams) });
      this.log.info('job-done', { job: job.id, ms: Math.round(performance.now() - started) });
    } catch (err) {
      if (this.stopped) return this.store.requeue(job.id);
      const rule = err instanceof CsfnetError && 'rule' in err && typeof err.rule === 'string' ? err.rule : err instanceof CsfnetError ? err.name : 'internal';
      this.store.fail(job.id, { message: err instanceof Error ? err.message : String(err), rule });
      this.log.warn('job-failed', { job: job.id, rule, ms: Math.round(performance.now() - started) });
    }
  }
}
