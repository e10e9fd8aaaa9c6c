import { existsSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { volumeDoublingTime } from '../clinical/volume-doubling-time.js';
import { extractPatch, HU_WINDOW, PATCH_SHAPE, PATCH_SPACING } from '../imaging/extract-patch.js';
import { measureNodule, type MeasureOptions } from '../imaging/measure-nodule.js';
import { writeNifti } from '../imaging/nifti-write.js';
import { DEFAULT_READ_LIMITS, type ReadLimits } from '../imaging/read-limits.js';
import { sourceFiles } from '../imaging/read-volume.js';
import { readableScans, readScanImage, recordScan, scanLabel, scanSummary, type ScanProgress } from './check-cohort-images.js';
import { loadCohort, type Cohort, type Scan } from './load-cohort.js';
import { PATCH_STORE_FORMAT, PATCH_STORE_VERSION, patchPath, readPatchIndex, writePatchIndex, type PatchEntry, type PatchIndex } from './patch-store.js';
import { hashFiles } from './source-hash.js';
import { addProblem, problemFrom, type Problem, type SubjectReport, type ValidationReport } from './validation-report.js';

export interface PreprocessOptions {
  /** Store folder (default: "<cohort>-patches" beside the cohort folder). */
  readonly out?: string;
  readonly limits?: ReadLimits;
  readonly measure?: MeasureOptions;
  readonly requiredTimepoints?: number;
  /** Called before each scan, and with the action taken after it. */
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

/** Version of the patch and measurement recipe: stored patches made otherwise are rebuilt. */
function paramsKey(measure: MeasureOptions): string {
  return [
    `patch-v1 ${PATCH_SHAPE.join('x')} @${PATCH_SPACING.join('x')}mm trilinear air-fill window ${HU_WINDOW.min}..${HU_WINDOW.max}`,
    `measure-v1 threshold ${measure.thresholdHu ?? -400} region ${measure.regionMm ?? 64} seed ${measure.seedRadiusMm ?? 3}`,
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
 * The index is rewritten atomically after each subject, so an interrupted run leaves a valid store.
 */
export async function preprocessCohort(cohortDir: string, options: PreprocessOptions = {}): Promise<PreprocessSummary> {
  const started = performance.now();
  const cohort = loadCohort(cohortDir, options.requiredTimepoints === undefined ? {} : { requiredTimepoints: options.requiredTimepoints });
  const store = resolve(options.out ?? defaultStoreDir(cohort.dir));
  const previous = readPatchIndex(store);
  const params = paramsKey(options.measure ?? {});
  const index: PatchIndex = { format: PATCH_STORE_FORMAT, version: PATCH_STORE_VERSION, cohort: cohort.dir, entries: [] };
  const todo = readableScans(cohort).filter((t) => t.report.ok);
  let written = 0;
  let reused = 0;
  let n = 0;
  const growth: Growth[] = [];
  for (const [s, subject] of cohort.subjects.entries()) {
    const report = cohort.report.subjects[s]!;
    if (!report.ok) continue;
    const entries: PatchEntry[] = [];
    const fresh: string[] = [];
    let kept = 0;
    for (const scan of subject.scans) {
      const progress = { subjectId: subject.id, timepoint: scan.timepoint, index: ++n, total: todo.length };
      options.onProgress?.(progress);
      try {
        const old = previous?.entries.find((e) => e.subjectId === subject.id && e.timepoint === scan.timepoint);
        const made = await patchFor(store, subject.id, scan, params, old, report, options);
        entries.push(made.entry);
        if (made.reused) kept++;
        else fresh.push(made.entry.patch);
        options.onProgress?.({ ...progress, action: made.reused ? 'reused' : 'extracted' });
      } catch (err) {
        addProblem(report, problemFrom(err, scan.timepoint));
        options.onProgress?.({ ...progress, action: 'failed' });
      }
    }
    if (!report.ok) {
      for (const f of fresh) rmSync(join(store, f), { force: true }); // a skipped subject leaves no patch
    } else {
      written += fresh.length;
      reused += kept;
      index.entries.push(...entries);
      const g = growthOf(subject.id, entries);
      if (g !== undefined) growth.push(g);
    }
    writePatchIndex(store, index);
  }
  writePatchIndex(store, index);
  removeStale(store, previous, index);
  cohort.report.imagesChecked = true;
  return summarize(cohort, store, written, reused, growth, (performance.now() - started) / 1000);
}

async function patchFor(
  store: string,
  subjectId: string,
  scan: Scan,
  params: string,
  old: PatchEntry | undefined,
  report: SubjectReport,
  options: PreprocessOptions,
): Promise<{ entry: PatchEntry; reused: boolean }> {
  const files = sourceFiles(scan.image);
  const sha256 = hashFiles(files);
  const relative = patchPath(subjectId, scan.timepoint);
  const file = join(store, relative);
  if (
    old !== undefined &&
    old.source.sha256 === sha256 &&
    old.params === params &&
    old.centre.every((x, a) => x === scan.centre[a]) &&
    old.patch === relative &&
    existsSync(file) &&
    hashFiles([file]) === old.patchSha256
  ) {
    recordScan(report, {
      timepoint: scan.timepoint,
      image: scan.imageRelative,
      reader: old.reader,
      shape: old.sourceShape,
      spacing: old.sourceSpacing,
      notes: ['patch reused: source unchanged'],
    });
    return { entry: { ...old, days: scan.days, source: { ...old.source, image: scan.imageRelative } }, reused: true };
  }
  const read = await readScanImage(subjectId, scan, options.limits ?? DEFAULT_READ_LIMITS);
  recordScan(report, scanSummary(scan, read));
  const patch = extractPatch(read.volume, scan.centre, scanLabel(subjectId, scan.timepoint), scan.image);
  const m = measureNodule(read.volume, scan.centre, options.measure);
  writeNifti(file, patch, { description: `csf-net patch ${subjectId} ${scan.timepoint}` });
  const entry: PatchEntry = {
    subjectId,
    timepoint: scan.timepoint,
    days: scan.days,
    patch: relative,
    patchSha256: hashFiles([file]),
    source: { image: scan.imageRelative, files: files.length, sha256 },
    reader: read.reader,
    params,
    centre: [scan.centre[0], scan.centre[1], scan.centre[2]],
    sourceShape: [read.volume.shape[0], read.volume.shape[1], read.volume.shape[2]],
    sourceSpacing: [read.volume.spacing[0], read.volume.spacing[1], read.volume.spacing[2]],
    origin: [patch.origin[0], patch.origin[1], patch.origin[2]],
    measurement: {
      found: m.found,
      touchesBorder: m.touchesBorder,
      volumeMm3: m.volumeMm3,
      meanDiameterMm: m.meanDiameterMm,
      longAxisMm: m.longAxisMm,
      shortAxisMm: m.shortAxisMm,
      equivalentDiameterMm: m.equivalentDiameterMm,
      thresholdHu: m.thresholdHu,
      regionMm: m.regionMm,
      voxelMm: m.voxelMm,
    },
  };
  return { entry, reused: false };
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
