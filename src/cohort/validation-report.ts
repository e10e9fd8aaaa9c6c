import type { ReaderName } from '../imaging/read-volume.js';
import type { Vec3 } from '../imaging/volume.js';
import { InputError } from '../util/errors.js';

/** One broken rule: what, where (time point, file) and a message a user can act on. */
export interface Problem {
  /** Short rule name, e.g. "image-missing", "centre-outside-volume", "missing-slices". */
  readonly rule: string;
  readonly message: string;
  readonly timepoint?: string;
  readonly file?: string;
}

/** What was learnt about one scan when its image was read. */
export interface ScanSummary {
  readonly timepoint: string;
  /** The image as scans.csv names it (relative to the cohort folder). */
  readonly image: string;
  readonly reader?: ReaderName;
  readonly shape?: Vec3;
  readonly spacing?: Vec3;
  readonly notes?: readonly string[];
}

export interface SubjectReport {
  readonly subjectId: string;
  /** True when the subject has no problem: it can be used. */
  ok: boolean;
  readonly problems: Problem[];
  readonly scans: ScanSummary[];
}

/** Per subject, ok or the list of problems; plus problems of the cohort's tables themselves. */
export interface ValidationReport {
  readonly cohort: string;
  /** Whether the images were read (validate does; loadCohort alone checks the tables and paths). */
  imagesChecked: boolean;
  readonly subjects: SubjectReport[];
  /** Rows that belong to no subject (unknown or blank subject_id). */
  readonly cohortProblems: Problem[];
}

/** Records a problem on a subject report and marks it unusable. */
export function addProblem(report: SubjectReport, problem: Problem): void {
  report.problems.push(problem);
  report.ok = false;
}

/** A problem from a thrown error: InputErrors keep their rule and file; anything else is "unexpected". */
export function problemFrom(err: unknown, timepoint?: string): Problem {
  const base = timepoint === undefined ? {} : { timepoint };
  if (err instanceof InputError) {
    return { ...base, rule: err.rule ?? 'input', message: err.message, ...(err.file === undefined ? {} : { file: err.file }) };
  }
  return { ...base, rule: 'unexpected', message: err instanceof Error ? err.message : String(err) };
}

/** Counts of a report: subjects, usable subjects, and whether everything is usable. */
export function reportCounts(report: ValidationReport): { total: number; usable: number; allUsable: boolean } {
  const usable = report.subjects.filter((s) => s.ok).length;
  return { total: report.subjects.length, usable, allUsable: usable === report.subjects.length && report.cohortProblems.length === 0 };
}

/** The report as text: one line per usable subject, the problems of the others, a summary line. */
export function formatReport(report: ValidationReport): string {
  const out: string[] = [`cohort ${report.cohort}${report.imagesChecked ? '' : ' (tables and paths only; images not read)'}`];
  for (const s of report.subjects) {
    if (s.ok) {
      const scans = s.scans.map((c) => `${c.timepoint}${c.shape ? ` ${c.shape.join('x')} @ ${c.spacing!.map((x) => x.toFixed(2)).join('x')} mm (${c.reader})` : ''}`);
      out.push(`  ok       ${s.subjectId}: ${scans.join('; ')}`);
      for (const c of s.scans) for (const note of c.notes ?? []) out.push(`           ${c.timepoint}: ${note}`);
    } else {
      out.push(`  PROBLEM  ${s.subjectId}:`);
      for (const p of s.problems) out.push(`           - [${p.rule}]${p.timepoint ? ` ${p.timepoint}:` : ''} ${p.message}`);
    }
  }
  for (const p of report.cohortProblems) out.push(`  PROBLEM  (cohort) [${p.rule}] ${p.message}`);
  const c = reportCounts(report);
  out.push(`${c.usable} of ${c.total} subjects usable${report.cohortProblems.length > 0 ? `, ${report.cohortProblems.length} cohort problem(s)` : ''}`);
  return out.join('\n');
}
