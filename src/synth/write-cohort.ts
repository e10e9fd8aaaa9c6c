import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { writeFileAtomic } from '../util/atomic-write.js';
import { InputError } from '../util/errors.js';
import type { SynthConfig } from './synth-config.js';
import { checkSynthConfig } from './synth-config.js';
import { calibrateIntercept } from './clinical-model.js';
import { planSubject } from './subject-plan.js';
import type { SubjectPlan } from './subject-plan.js';
import { anatomyToWorld } from './rigid-pose.js';
import { cohortRows } from './cohort-rows.js';
import { imagePath, renderSubject } from './render-subject.js';
import type { WorkerDone, WorkerJob } from './cohort-worker.js';

export interface CohortSummary {
  readonly outDir: string;
  readonly subjects: number;
  readonly malignant: number;
  readonly scans: number;
  readonly dicomScans: number;
  readonly niftiScans: number;
  readonly bytes: number;
  readonly intercept: number;
  readonly workers: number;
}

export interface GenerateOptions {
  /** Called after each subject is written (the CLI prints progress; the library does not). */
  readonly onSubject?: (done: number, total: number, plan: SubjectPlan) => void;
  /** Worker threads (default: 2, or 1 on a single-core machine). */
  readonly workers?: number;
}

/** The output folder must be new or empty: a cohort is never mixed with other files. */
function prepareOutDir(outDir: string): void {
  let entries: string[] = [];
  try {
    if (!statSync(outDir).isDirectory()) throw new InputError(`synth: ${outDir} exists and is not a folder`, { file: outDir, rule: 'out-not-folder' });
    entries = readdirSync(outDir);
  } catch (err) {
    if (err instanceof InputError) throw err;
  }
  if (entries.length > 0) {
    throw new InputError(`synth: output folder ${outDir} is not empty (${entries.length} entries); choose a new or empty folder`, {
      file: outDir,
      rule: 'out-not-empty',
    });
  }
  mkdirSync(outDir, { recursive: true });
}

/** Total size of the files under a folder. */
function folderBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    total += st.isDirectory() ? folderBytes(path) : st.size;
  }
  return total;
}

/** Renders subjects in `workers` worker threads (round-robin), reporting each one written. */
function renderInWorkers(job: Omit<WorkerJob, 'indices'>, n: number, workers: number, onDone: (index: number) => void): Promise<void> {
  const url = new URL('./cohort-worker.js', import.meta.url);
  const threads = Array.from({ length: workers }, (_, w) => {
    const indices = Array.from({ length: n }, (_, i) => i).filter((i) => i % workers === w);
    return new Worker(url, { workerData: { ...job, indices } satisfies WorkerJob });
  });
  return new Promise((resolve, reject) => {
    let running = threads.length;
    for (const t of threads) {
      t.on('message', (m: WorkerDone) => onDone(m.index));
      t.on('error', (err) => {
        for (const other of threads) void other.terminate();
        reject(err);
      });
      t.on('exit', (code) => {
        if (code !== 0) reject(new Error(`synth: a worker thread exited with code ${code}`));
        else if (--running === 0) resolve();
      });
    }
  });
}

/**
 * Generates a synthetic follow-up cohort in `outDir` (new or empty) in the folder format of
 * ../shared/docs/cohort-format.md: per subject a scan per time point (DICOM series folder or
 * .nii.gz), then subjects.csv, scans.csv and synth-truth.csv (the generator's hidden variables,
 * not part of the cohort contract). Subjects are rendered in `workers` threads (default: up to 2,
 * one per available core); every subject depends only on the seed and its index, so the bytes are
 * the same for any number of workers.
 */
export async function generateCohort(outDir: string, cfg: SynthConfig, seed: number, options: GenerateOptions = {}): Promise<CohortSummary> {
  checkSynthConfig(cfg);
  prepareOutDir(outDir);
  const intercept = calibrateIntercept(seed, cfg.clinical, cfg.risk, cfg.cohort.prevalence);
  const n = cfg.cohort.subjects;
  const workers = Math.max(1, Math.min(n, options.workers ?? Math.min(2, availableParallelism())));
  const plans = Array.from({ length: n }, (_, i) => planSubject(seed, i, cfg, intercept));
  let done = 0;
  const report = (index: number): void => options.onSubject?.(++done, n, plans[index]!);
  if (workers === 1) {
    for (let i = 0; i < n; i++) {
      renderSubject(outDir, cfg, seed, intercept, i);
      report(i);
    }
  } else {
    await renderInWorkers({ outDir, cfg, seed, intercept }, n, workers, report);
  }
  const rows = cohortRows(
    plans,
    (plan, scan) => ({ image: imagePath(plan.subjectId, scan), centre: anatomyToWorld(scan.geometry.pose, plan.centre) }),
    seed,
    cfg.nodule.readerSdMm,
  );
  writeFileAtomic(join(outDir, 'subjects.csv'), rows.subjects);
  writeFileAtomic(join(outDir, 'scans.csv'), rows.scans);
  writeFileAtomic(join(outDir, 'synth-truth.csv'), rows.truth);
  const scans = plans.flatMap((p) => p.scans);
  return {
    outDir,
    subjects: n,
    malignant: plans.filter((p) => p.label === 1).length,
    scans: scans.length,
    dicomScans: scans.filter((s) => s.format === 'dicom').length,
    niftiScans: scans.filter((s) => s.format === 'nifti').length,
    bytes: folderBytes(outDir),
    intercept,
    workers,
  };
}
