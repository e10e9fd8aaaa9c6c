import { rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { volumeDoublingTime } from '../clinical/volume-doubling-time.js';
import { HU_WINDOW, PATCH_SHAPE, PATCH_SPACING } from '../imaging/extract-patch.js';
import type { MeasureOptions } from '../imaging/measure-nodule.js';
import { DEFAULT_READ_LIMITS, type ReadLimits } from '../imaging/read-limits.js';
import { recordScan, type ScanProgress } from './check-cohort-images.js';
import { loadCohort, type Cohort } from './load-cohort.js';
import { PATCH_STORE_FORMAT, PATCH_STORE_VERSION, readPatchIndex, writePatchIndex, type PatchEntry, type PatchIndex } from './patch-store.js';
import type { ScanJob, ScanOutcome } from './scan-job.js';
import { defaultScanWorkers, runScanJobs } from './scan-pool.js';
import { addProblem, type Problem, type SubjectReport, type ValidationReport } from './validation-report.js';

export interface PreprocessOptions {
  /** Store folder (default: "<cohort>-patches" beside the cohort folder). */
  readonly out?: string;
  readonly limits?: ReadLimits;
  readonly measure?: MeasureOptions;
  readonly requiredTimepoints?: number;
  /** Worker threads reading scans (default: one per core, at most one per 8 scans; 1 reads in this thread). */
  readonly workers?: number;
  /** Called as each scan is started, and with the action taken when it is done (in the order scans finish). */
  readonly onProgress?: (p: ScanProgress & { readonly action?: 'extracted' | 'reused' | 'failed' }) => void;
}

/** Growth of a subject's nodule from T0 to T1, from the two measurements. */
export interface Growth {
  readonly subjectId: string;
  readonly days: number;
  readonly volume0Mm3: number;
  readonly volume1Mm3: number;
  /** 100 (V1 / V0 - 1). */
  readonly volumeChangePercent: number;
  /** Volume doubling time (clinical/volume-doubling-time); null when not reliable or the interval is 0 days. */
  readonly vdtDays: number | null;
  /** False when either segmentation touched the region border or found nothing: the volumes are then not the nodule's. */
  readonly reliable: boolean;
}

export interface PreprocessSummary {
  readonly store: string;
  readonly report: ValidationReport;
  readonly subjectsOk: readonly string[];
  readonly skipped: readonly { readonly subjectId: string; readonly problems: readonly Problem[] }[];
  readonly patchesWritten: number;
  readonly patchesReused: number;
  readonly growth: readonly Growth[];
  readonly seconds: number;
}

/**
 * Version of the patch and measurement recipe: stored patches made otherwise are rebuilt.
 * measure-v2: adaptive threshold (lung background, core, ground-glass rim) and the fine
 * segmentation opened by a 1 mm ball (imaging/measure-nodule).
 */
function paramsKey(measure: MeasureOptions): string {
  const threshold = measure.thresholdHu === undefined ? 'adaptive' : `fixed ${measure.thresholdHu}`;
  return [
    `patch-v1 ${PATCH_SHAPE.join('x')} @${PATCH_SPACING.join('x')}mm trilinear air-fill window ${HU_WINDOW.min}..${HU_WINDOW.max}`,
    `measure-v2 threshold ${threshold} region ${measure.regionMm ?? 64} seed ${measure.seedRadiusMm ?? 3}`,
  ].join('; ');
}

/** Default store folder: "<name>-patches" beside the cohort folder. */
export function defaultStoreDir(cohortDir: string): string {
  const root = resolve(cohortDir);
  return join(dirname(root), `${basename(root)}-patches`);
}

/**
 * Validates a cohort, cuts and measures a patch per subject and time point, and writes the patch
 * store. A stored patch is reused when its source files hash the same, its centre and recipe are
 * unchanged and its file is intact; otherwise the image is read again (with all reader checks).
 * A subject with any problem is skipped with its reasons and leaves no entry; the others go on.
 *
 * Scans run on worker threads (scan-pool; one per core unless `workers` says otherwise). Their
 * outcomes are taken subject by subject in cohort order, whatever order they finish in, so the
 * report, the summary and the index are the same bytes for any number of threads; the index is
 * rewritten atomically as each subject, in that order, is complete, so an interrupted run leaves
 * a valid store.
 */
export async function preprocessCohort(cohortDir: string, options: PreprocessOptions = {}): Promise<PreprocessSummary> {
  const started = performance.now();
  const cohort = loadCohort(cohortDir, options.requiredTimepoints === undefined ? {} : { requiredTimepoints: options.requiredTimepoints });
  const store = resolve(options.out ?? defaultStoreDir(cohort.dir));
  const previous = readPatchIndex(store);
  const measure = options.measure ?? {};
  const params = paramsKey(measure);
  const limits = options.limits ?? DEFAULT_READ_LIMITS;
  const index: PatchIndex = { format: PATCH_STORE_FORMAT, version: PATCH_STORE_VERSION, cohort: cohort.dir, entries: [] };
  const jobs: ScanJob[] = [];
  const firstJob: number[] = []; // per subject: its first job, or -1 when it is not processed
  for (const [s, subject] of cohort.subjects.entries()) {
    const ok = cohort.report.subjects[s]!.ok;
    firstJob.push(ok ? jobs.length : -1);
    if (!ok) continue;
    for (const scan of subject.scans) {
      const old = previous?.entries.find((e) => e.subjectId === subject.id && e.timepoint === scan.timepoint);
      jobs.push({ store, subjectId: subject.id, scan, params, limits, measure, ...(old === undefined ? {} : { old }) });
    }
  }
  const tally = { written: 0, reused: 0 };
  const growth: Growth[] = [];
  const outcomes: (ScanOutcome | undefined)[] = Array.from({ length: jobs.length }, () => undefined); // no holes: every() skips holes
  let nextSubject = 0;
  // Settles every subject, in cohort order, whose scans have all come back.
  const settle = (): void => {
    for (; nextSubject < cohort.subjects.length; nextSubject++) {
      const first = firstJob[nextSubject]!;
      if (first < 0) continue;
      const own = outcomes.slice(first, first + cohort.subjects[nextSubject]!.scans.length);
      if (!own.every((o) => o !== undefined)) return;
      const g = settleSubject(store, cohort.report.subjects[nextSubject]!, own, index, tally);
      if (g !== undefined) growth.push(g);
      writePatchIndex(store, index);
    }
  };
  const progress = (n: number): ScanProgress => ({ subjectId: jobs[n]!.subjectId, timepoint: jobs[n]!.scan.timepoint, index: n + 1, total: jobs.length });
  await runScanJobs(jobs, options.workers ?? defaultScanWorkers(jobs.length), {
    onStart: (n) => options.onProgress?.(progress(n)),
    onDone: (n, outcome) => {
      outcomes[n] = outcome;
      options.onProgress?.({ ...progress(n), action: outcome.ok ? (outcome.reused ? 'reused' : 'extracted') : 'failed' });
      settle();
    },
  });
  writePatchIndex(store, index);
  removeStale(store, previous, index);
  cohort.report.imagesChecked = true;
  return summarize(cohort, store, tally.written, tally.reused, growth, (performance.now() - started) / 1000);
}

/**
 * Puts one subject's scan outcomes in its report and, when it has no problem, its entries in the
 * index; a skipped subject's freshly written patches are deleted. Returns its growth, if any.
 */
function settleSubject(
  store: string,
  report: SubjectReport,
  outcomes: readonly ScanOutcome[],
  index: PatchIndex,
  tally: { written: number; reused: number },
): Growth | undefined {
  const entries: PatchEntry[] = [];
  const fresh: string[] = [];
  for (const o of outcomes) {
    if (!o.ok) {
      addProblem(report, o.problem);
      continue;
    }
    recordScan(report, o.summary);
    entries.push(o.entry);
    if (!o.reused) fresh.push(o.entry.patch);
  }
  if (!report.ok) {
    for (const f of fresh) rmSync(join(store, f), { force: true }); // a skipped subject leaves no patch
    return undefined;
  }
  tally.written += fresh.length;
  tally.reused += entries.length - fresh.length;
  index.entries.push(...entries);
  return growthOf(report.subjectId, entries);
}

/** T0 -> T1 growth of one subject's stored measurements, when both time points are there. */
function growthOf(subjectId: string, entries: readonly PatchEntry[]): Growth | undefined {
  const t0 = entries.find((e) => e.timepoint === 'T0');
  const t1 = entries.find((e) => e.timepoint === 'T1');
  if (t0 === undefined || t1 === undefined) return undefined;
  const v0 = t0.measurement.volumeMm3;
  const v1 = t1.measurement.volumeMm3;
  const days = t1.days - t0.days;
  const reliable = [t0, t1].every((e) => e.measurement.found && !e.measurement.touchesBorder);
  const vdt = reliable && days > 0 && v0 > 0 && v1 > 0 ? volumeDoublingTime({ days, volume0Mm3: v0, volume1Mm3: v1 }).vdtDays : null;
  return { subjectId, days, volume0Mm3: v0, volume1Mm3: v1, volumeChangePercent: v0 > 0 ? 100 * (v1 / v0 - 1) : NaN, vdtDays: vdt, reliable };
}

/** Deletes patch files the previous index listed that the new one no longer does. */
function removeStale(store: string, previous: PatchIndex | undefined, index: PatchIndex): void {
  const keep = new Set(index.entries.map((e) => e.patch));
  for (const e of previous?.entries ?? []) if (!keep.has(e.patch)) rmSync(join(store, e.patch), { force: true });
}

function summarize(cohort: Cohort, store: string, written: number, reused: number, growth: Growth[], seconds: number): PreprocessSummary {
  const subjectsOk = cohort.report.subjects.filter((r) => r.ok).map((r) => r.subjectId);
  const skipped = cohort.report.subjects.filter((r) => !r.ok).map((r) => ({ subjectId: r.subjectId, problems: r.problems }));
  return { store, report: cohort.report, subjectsOk, skipped, patchesWritten: written, patchesReused: reused, growth, seconds };
}
