import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { readerFor } from '../imaging/read-volume.js';
import type { Vec3 } from '../imaging/volume.js';
import { InputError } from '../util/errors.js';
import { issueLines, REQUIRED_SCAN_COLUMNS, REQUIRED_SUBJECT_COLUMNS, scanRowSchema, subjectRowSchema, type NoduleType } from './cohort-schema.js';
import { parseCsv, type CsvTable } from './parse-csv.js';
import { addProblem, type SubjectReport, type ValidationReport } from './validation-report.js';

/** One scan of a subject: scans.csv's row, typed, with the image resolved. */
export interface Scan {
  /** "T0", "T1", ... */
  readonly timepoint: string;
  /** The number of the time point (0 for T0). */
  readonly index: number;
  /** Days since the subject's T0 scan. */
  readonly days: number;
  /** Absolute path of the DICOM folder or image file. */
  readonly image: string;
  /** The image as scans.csv names it, relative to the cohort folder. */
  readonly imageRelative: string;
  /** Nodule centre, LPS world coordinates in mm. */
  readonly centre: Vec3;
  readonly diameterMm?: number;
  readonly noduleType?: NoduleType;
  readonly upperLobe?: 0 | 1;
  readonly spiculation?: 0 | 1;
}

/** One subject: its label, its clinical cells as raw text, its scans in time order. */
export interface Subject {
  readonly id: string;
  /** 1 malignant, 0 benign, null when not known (prediction only). */
  readonly label: 0 | 1 | null;
  /** Every subjects.csv column except subject_id and label, as trimmed text ("" when blank). */
  readonly clinical: Readonly<Record<string, string>>;
  readonly scans: readonly Scan[];
}

export interface Cohort {
  /** Absolute path of the cohort folder. */
  readonly dir: string;
  /** Every subject of subjects.csv (usable or not, in file order); see report for which are usable. */
  readonly subjects: readonly Subject[];
  /** The clinical columns of subjects.csv, in file order. */
  readonly clinicalColumns: readonly string[];
  readonly report: ValidationReport;
}

export interface LoadCohortOptions {
  /** Time points a subject needs to be usable (default 2: T0 and T1, as CSF-Net). */
  readonly requiredTimepoints?: number;
}

/**
 * Loads a cohort folder (../shared/docs/cohort-format.md): parses subjects.csv and scans.csv,
 * validates every row with zod, resolves each image inside the folder and checks its format, and
 * builds the validation report: per subject, ok or the list of problems. Problems of one subject
 * never stop the others. The images are not read here (see checkCohortImages).
 *
 * Throws an InputError only when the cohort itself is unreadable: no folder, a CSV file missing or
 * malformed, or a required column absent.
 *
 * Subject rules: unique subject_id; valid codes; scans for T0 (days 0) and at least
 * `requiredTimepoints` time points, each once, days strictly increasing with the time point; images
 * that exist, stay inside the cohort folder and have a supported format. Scan rows naming no known
 * subject are cohort problems.
 */
export function loadCohort(dir: string, options: LoadCohortOptions = {}): Cohort {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new InputError(`${root}: cohort folder not found`, { file: root, rule: 'cohort-missing' });
  }
  const subjectsCsv = readTable(root, 'subjects.csv', REQUIRED_SUBJECT_COLUMNS);
  const scansCsv = readTable(root, 'scans.csv', REQUIRED_SCAN_COLUMNS);
  const report: ValidationReport = { cohort: root, imagesChecked: false, subjects: [], cohortProblems: [] };
  const reports = new Map<string, SubjectReport>();
  const rows = new Map<string, { label: 0 | 1 | null; clinical: Record<string, string> }>();
  const clinicalColumns = subjectsCsv.header.filter((h) => h !== 'subject_id' && h !== 'label');

  subjectsCsv.rows.forEach((row, n) => {
    const where = `subjects.csv:${subjectsCsv.lines[n]}`;
    const id = row.subject_id ?? '';
    if (id === '') {
      report.cohortProblems.push({ rule: 'subject-id', message: `${where}: subject_id is blank`, file: join(root, 'subjects.csv') });
      return;
    }
    if (reports.has(id)) {
      addProblem(reports.get(id)!, { rule: 'duplicate-subject', message: `${where}: subject_id ${id} appears again`, file: join(root, 'subjects.csv') });
      return;
    }
    const r: SubjectReport = { subjectId: id, ok: true, problems: [], scans: [] };
    reports.set(id, r);
    report.subjects.push(r);
    const parsed = subjectRowSchema.safeParse(row);
    if (!parsed.success) for (const m of issueLines(parsed.error)) addProblem(r, { rule: 'subject-row', message: `${where}: ${m}` });
    const label = parsed.success && parsed.data.label !== undefined ? (parsed.data.label === 1 ? 1 : 0) : null;
    rows.set(id, { label, clinical: Object.fromEntries(clinicalColumns.map((c) => [c, row[c] ?? ''])) });
  });

  const scans = new Map<string, Scan[]>();
  scansCsv.rows.forEach((row, n) => {
    const where = `scans.csv:${scansCsv.lines[n]}`;
    const id = row.subject_id ?? '';
    const r = reports.get(id);
    if (r === undefined) {
      report.cohortProblems.push({ rule: 'unknown-subject', message: `${where}: subject_id "${id}" is not in subjects.csv`, file: join(root, 'scans.csv') });
      return;
    }
    const parsed = scanRowSchema.safeParse(row);
    const timepoint = row.timepoint ?? '';
    if (!parsed.success) {
      for (const m of issueLines(parsed.error)) addProblem(r, { rule: 'scan-row', timepoint, message: `${where}: ${m}` });
      return;
    }
    const s = parsed.data;
    const image = resolve(root, s.image);
    const pathProblem = imageProblem(root, image, s.image);
    if (pathProblem !== undefined) addProblem(r, { ...pathProblem, timepoint: s.timepoint, message: `${where}: ${pathProblem.message}` });
    scans.set(id, [
      ...(scans.get(id) ?? []),
      {
        timepoint: s.timepoint,
        index: Number(s.timepoint.slice(1)),
        days: s.days,
        image,
        imageRelative: s.image,
        centre: [s.x, s.y, s.z],
        ...(s.diameter_mm === undefined ? {} : { diameterMm: s.diameter_mm }),
        ...(s.nodule_type === undefined ? {} : { noduleType: s.nodule_type }),
        ...(s.upper_lobe === undefined ? {} : { upperLobe: s.upper_lobe === 1 ? 1 : 0 }),
        ...(s.spiculation === undefined ? {} : { spiculation: s.spiculation === 1 ? 1 : 0 }),
      },
    ]);
  });

  const required = options.requiredTimepoints ?? 2;
  const subjects: Subject[] = report.subjects.map((r) => {
    const list = [...(scans.get(r.subjectId) ?? [])].sort((a, b) => a.index - b.index);
    checkTimeline(r, list, required);
    for (const s of list) r.scans.push({ timepoint: s.timepoint, image: s.imageRelative });
    const row = rows.get(r.subjectId)!;
    return { id: r.subjectId, label: row.label, clinical: row.clinical, scans: list };
  });
  return { dir: root, subjects, clinicalColumns, report };
}

function readTable(root: string, name: string, required: readonly string[]): CsvTable {
  const file = join(root, name);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InputError(`${file}: missing or unreadable (a cohort needs subjects.csv and scans.csv)`, { file, rule: 'cohort-file-missing' });
  }
  const table = parseCsv(text, file);
  const absent = required.filter((c) => !table.header.includes(c));
  if (absent.length > 0) {
    throw new InputError(`${file}: required column(s) ${absent.join(', ')} missing (header: ${table.header.join(',')})`, { file, rule: 'cohort-columns' });
  }
  return table;
}

/**
 * Why an image path cannot be used, if it cannot: outside the folder (checked on the path as
 * written, so "../x" or "/data/x" is refused; a symbolic link the user placed inside the folder is
 * followed), missing, or of an unsupported format.
 */
function imageProblem(root: string, image: string, named: string): { rule: string; message: string; file: string } | undefined {
  const inside = (p: string, base: string): boolean => {
    const rel = relative(base, p);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  };
  if (!inside(image, root)) return { rule: 'path-outside-cohort', message: `image "${named}" lies outside the cohort folder`, file: image };
  if (!existsSync(image)) return { rule: 'image-missing', message: `image "${named}" not found`, file: image };
  try {
    readerFor(image);
  } catch (err) {
    return { rule: err instanceof InputError ? (err.rule ?? 'unsupported-format') : 'unsupported-format', message: err instanceof Error ? err.message : String(err), file: image };
  }
  return undefined;
}

/** Time point rules: T0 at day 0, each time point once, days increasing, enough time points. */
function checkTimeline(r: SubjectReport, list: readonly Scan[], required: number): void {
  const seen = new Set<number>();
  for (const s of list) {
    if (seen.has(s.index)) addProblem(r, { rule: 'duplicate-timepoint', timepoint: s.timepoint, message: `${s.timepoint} appears more than once in scans.csv` });
    seen.add(s.index);
  }
  const t0 = list.find((s) => s.index === 0);
  if (list.length > 0 && t0 === undefined) addProblem(r, { rule: 'missing-baseline', message: 'no T0 (baseline) scan' });
  if (t0 !== undefined && t0.days !== 0) addProblem(r, { rule: 'baseline-days', timepoint: 'T0', message: `T0 has days ${t0.days}; the baseline is day 0` });
  for (let n = 1; n < list.length; n++) {
    const a = list[n - 1]!;
    const b = list[n]!;
    if (a.index !== b.index && b.days <= a.days) {
      addProblem(r, { rule: 'days-order', timepoint: b.timepoint, message: `${b.timepoint} at day ${b.days} is not after ${a.timepoint} at day ${a.days}` });
    }
  }
  const missing = Array.from({ length: required }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length > 0) {
    const have = list.length === 0 ? 'no scans' : `scans at ${[...new Set(list.map((s) => s.timepoint))].join(', ')}`;
    addProblem(r, { rule: 'too-few-timepoints', message: `has ${have}; missing ${missing.map((i) => `T${i}`).join(', ')} (T0..T${required - 1} are needed)` });
  }
}
