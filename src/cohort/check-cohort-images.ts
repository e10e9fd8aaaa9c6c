import { checkCentreInside } from '../imaging/extract-patch.js';
import { DEFAULT_READ_LIMITS, type ReadLimits } from '../imaging/read-limits.js';
import { readVolume, type ReadResult } from '../imaging/read-volume.js';
import type { Cohort, Scan } from './load-cohort.js';
import { addProblem, problemFrom, type ScanSummary, type SubjectReport } from './validation-report.js';

/** Progress of a cohort run: the scan about to be handled, counted over all scans. */
export interface ScanProgress {
  readonly subjectId: string;
  readonly timepoint: string;
  /** 1-based number of this scan and the total of scans to handle. */
  readonly index: number;
  readonly total: number;
}

/** The label used in messages about one scan: "subject 100012 T1". */
export function scanLabel(subjectId: string, timepoint: string): string {
  return `subject ${subjectId} ${timepoint}`;
}

/**
 * Reads one scan's image and checks that its nodule centre lies inside the volume; throws the
 * reader's InputError (naming the file and the rule) or "centre-outside-volume" (naming subject,
 * time point, coordinate and bounds).
 */
export async function readScanImage(subjectId: string, scan: Scan, limits: ReadLimits = DEFAULT_READ_LIMITS): Promise<ReadResult> {
  const read = await readVolume(scan.image, limits);
  checkCentreInside(read.volume, scan.centre, scanLabel(subjectId, scan.timepoint), scan.image);
  return read;
}

/** What reading a scan found (reader, shape, spacing, notes), for the report. */
export function scanSummary(scan: Scan, read: ReadResult): ScanSummary {
  return { timepoint: scan.timepoint, image: scan.imageRelative, reader: read.reader, shape: read.volume.shape, spacing: read.volume.spacing, notes: read.notes };
}

/** Puts a scan's summary in its subject's report, replacing the one for the same scan. */
export function recordScan(report: SubjectReport, summary: ScanSummary): void {
  const at = report.scans.findIndex((s) => s.timepoint === summary.timepoint && s.image === summary.image);
  if (at >= 0) report.scans[at] = summary;
  else report.scans.push(summary);
}

/** The scans worth reading: those whose image path passed loadCohort's checks. */
export function readableScans(cohort: Cohort): { report: SubjectReport; subjectId: string; scan: Scan }[] {
  return cohort.subjects.flatMap((subject, n) => {
    const report = cohort.report.subjects[n]!;
    const badPaths = new Set(report.problems.filter((p) => p.file !== undefined && p.timepoint !== undefined).map((p) => p.timepoint));
    return subject.scans.filter((s) => !badPaths.has(s.timepoint)).map((scan) => ({ report, subjectId: subject.id, scan }));
  });
}

/**
 * Reads every scan of the cohort (one at a time, so memory holds one volume) and adds what fails to
 * the subject's report: reader errors (truncated, mixed or gapped series, bad NIfTI...) and nodule
 * centres outside their volume. One bad scan never stops the others. Returns the same cohort, its
 * report now with imagesChecked = true.
 */
export async function checkCohortImages(
  cohort: Cohort,
  options: { limits?: ReadLimits; onProgress?: (p: ScanProgress) => void } = {},
): Promise<Cohort> {
  const todo = readableScans(cohort);
  for (const [n, { report, subjectId, scan }] of todo.entries()) {
    options.onProgress?.({ subjectId, timepoint: scan.timepoint, index: n + 1, total: todo.length });
    try {
      recordScan(report, scanSummary(scan, await readScanImage(subjectId, scan, options.limits)));
    } catch (err) {
      addProblem(report, problemFrom(err, scan.timepoint));
    }
  }
  cohort.report.imagesChecked = true;
  return cohort;
}
