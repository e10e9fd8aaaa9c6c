import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { runScanJob, type ScanJob, type ScanOutcome } from './scan-job.js';
import type { ScanReply, ScanRequest } from './scan-worker.js';

export interface ScanPoolHooks {
  /** Called when job n (0-based) is handed out. */
  readonly onStart?: (n: number) => void;
  /** Called when job n is done, in the order jobs finish. */
  readonly onDone?: (n: number, outcome: ScanOutcome) => void;
}

/**
 * Worker threads by default for `jobs` scans: one per core the process may use
 * (os.availableParallelism), but no more than one per 8 scans, since starting a thread (loading the
 * readers and codecs again) costs about as much as reading a few scans: a cohort of one or two
 * subjects is read in this thread.
 */
export function defaultScanWorkers(jobs: number): number {
  return Math.max(1, Math.min(availableParallelism(), Math.floor(jobs / MIN_SCANS_PER_THREAD)));
}

const MIN_SCANS_PER_THREAD = 8;

/**
 * Runs scan jobs on `workers` worker threads (in this thread when `workers` is 1 or there is only
 * one job), each thread taking the next job as it finishes one, and returns the outcomes in job
 * order, so what a caller builds from them does not depend on which thread finished first.
 *
 * A thread that dies while running a job (an uncaught error, running out of memory) fails that job
 * with an "unexpected" problem and is replaced; if threads die before finishing any job at all
 * (they cannot start), the run is rejected instead of failing every scan.
 */
export async function runScanJobs(jobs: readonly ScanJob[], workers: number, hooks: ScanPoolHooks = {}): Promise<ScanOutcome[]> {
  const outcomes = new Array<ScanOutcome>(jobs.length);
  const threads = Math.max(1, Math.min(Math.floor(workers), jobs.length));
  if (threads <= 1) {
    for (const [n, job] of jobs.entries()) {
      hooks.onStart?.(n);
      outcomes[n] = await runScanJob(job);
      hooks.onDone?.(n, outcomes[n]);
    }
    return outcomes;
  }
  const url = new URL('./scan-worker.js', import.meta.url);
  let next = 0;
  let finished = 0;
  let completedAny = false;
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const done = (n: number, outcome: ScanOutcome): void => {
      outcomes[n] = outcome;
      finished++;
      hooks.onDone?.(n, outcome);
      if (finished === jobs.length) resolve();
    };
    const start = (): void => {
      const worker = new Worker(url);
      let current = -1;
      const feed = (): void => {
        if (next >= jobs.length) {
          current = -1;
          void worker.terminate();
          return;
        }
        current = next++;
        hooks.onStart?.(current);
        worker.postMessage({ id: current, job: jobs[current]! } satisfies ScanRequest);
      };
      worker.on('message', (reply: ScanReply) => {
        completedAny = true;
        done(reply.id, reply.outcome);
        feed();
      });
      const lost = (why: string): void => {
        if (current < 0 || failed) return;
        const n = current;
        current = -1;
        if (!completedAny) {
          failed = true;
          reject(new Error(`preprocess: a scan worker thread stopped before finishing any scan (${why})`));
          return;
        }
        done(n, { ok: false, problem: { rule: 'unexpected', timepoint: jobs[n]!.scan.timepoint, message: `the worker thread reading this scan stopped (${why})` } });
        if (next < jobs.length) start();
      };
      worker.on('error', (err) => lost(err.message));
      worker.on('exit', (code) => lost(`exit code ${code}`));
      feed();
    };
    for (let t = 0; t < threads; t++) start();
  });
  return outcomes;
}
