import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { extractPatch } from '../imaging/extract-patch.js';
import { measureNodule, type MeasureOptions } from '../imaging/measure-nodule.js';
import { writeNifti } from '../imaging/nifti-write.js';
import type { ReadLimits } from '../imaging/read-limits.js';
import { sourceFiles } from '../imaging/read-volume.js';
import { readScanImage, scanLabel, scanSummary } from './check-cohort-images.js';
import type { Scan } from './load-cohort.js';
import { patchPath, type PatchEntry } from './patch-store.js';
import { hashFiles, hashWritten } from './source-hash.js';
import { problemFrom, type Problem, type ScanSummary } from './validation-report.js';

/**
 * zlib level of the patch files. Windowed float32 CT noise hardly compresses: levels 1 and 6 both
 * save about 15 % and cost about 6.5 ms of CPU per 256 KiB patch (measured here on the synthetic
 * cohort's patches), so the cheapest compressing level is used.
 */
export const PATCH_GZIP_LEVEL = 1;

/** One scan to turn into a stored patch: plain data, so it can be handed to a worker thread. */
export interface ScanJob {
  readonly store: string;
  readonly subjectId: string;
  readonly scan: Scan;
  /** The recipe key (preprocess-cohort's paramsKey). */
  readonly params: string;
  /** The entry the previous index holds for this scan, if any. */
  readonly old?: PatchEntry;
  readonly limits: ReadLimits;
  readonly measure: MeasureOptions;
}

/** What became of a scan: its index entry (written or reused) and report summary, or its problem. */
export type ScanOutcome =
  | { readonly ok: true; readonly entry: PatchEntry; readonly reused: boolean; readonly summary: ScanSummary }
  | { readonly ok: false; readonly problem: Problem };

/**
 * Cuts and measures one scan's patch and writes it into the store, or reuses the stored one when
 * its source files hash the same, its centre and recipe are unchanged and its file is intact;
 * otherwise the image is read again with all reader checks. Never throws: a failure (reader error,
 * centre outside the volume, anything unexpected) comes back as the scan's problem.
 */
export async function runScanJob(job: ScanJob): Promise<ScanOutcome> {
  try {
    return await patchFor(job);
  } catch (err) {
    return { ok: false, problem: problemFrom(err, job.scan.timepoint) };
  }
}

async function patchFor({ store, subjectId, scan, params, old, limits, measure }: ScanJob): Promise<ScanOutcome> {
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
    const summary: ScanSummary = {
      timepoint: scan.timepoint,
      image: scan.imageRelative,
      reader: old.reader,
      shape: old.sourceShape,
      spacing: old.sourceSpacing,
      notes: ['patch reused: source unchanged'],
    };
    return { ok: true, entry: { ...old, days: scan.days, source: { ...old.source, image: scan.imageRelative } }, reused: true, summary };
  }
  const read = await readScanImage(subjectId, scan, limits);
  const patch = extractPatch(read.volume, scan.centre, scanLabel(subjectId, scan.timepoint), scan.image);
  const m = measureNodule(read.volume, scan.centre, measure);
  const written = writeNifti(file, patch, { description: `csf-net patch ${subjectId} ${scan.timepoint}`, gzipLevel: PATCH_GZIP_LEVEL });
  const entry: PatchEntry = {
    subjectId,
    timepoint: scan.timepoint,
    days: scan.days,
    patch: relative,
    patchSha256: hashWritten(file, written),
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
      ...(m.levels === undefined ? {} : { levels: m.levels }),
    },
  };
  return { ok: true, entry, reused: false, summary: scanSummary(scan, read) };
}
