import { parentPort, workerData } from 'node:worker_threads';
import type { SynthConfig } from './synth-config.js';
import { renderSubject } from './render-subject.js';

/** What generateCohort hands each worker thread. */
export interface WorkerJob {
  readonly outDir: string;
  readonly cfg: SynthConfig;
  readonly seed: number;
  readonly intercept: number;
  readonly indices: readonly number[];
}

/** Messages from a worker: one per subject written. */
export interface WorkerDone {
  readonly index: number;
}

/** Worker-thread entry: renders and writes the subjects it was given, reporting each. */
const job = workerData as WorkerJob;
for (const index of job.indices) {
  renderSubject(job.outDir, job.cfg, job.seed, job.intercept, index);
  const done: WorkerDone = { index };
  parentPort?.postMessage(done);
}
