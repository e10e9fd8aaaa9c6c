import { basename, resolve } from 'node:path';
import { loadCohort, type Cohort, type Subject } from '../cohort/load-cohort.js';
import { InputError, NotFoundError } from '../util/errors.js';
import type { CohortSubject, CohortSummary } from './api-types.js';
import { checkStudyInput, type StudyInput } from './study-input.js';

/** Clinical columns of subjects.csv that are numbers (cohort-format.md); other columns stay text. */
const NUMERIC = new Set(['age', 'gender', 'race', 'cigsmok', 'pkyr', 'smokeyr', 'famhist', 'emphysema']);

/**
 * Cohorts the server was started with (--cohort DIR, cohort-format.md), loaded once with their
 * validation report. Each is named by its folder's name (a number is added to repeats); only the
 * name goes out through the API, never the server's paths.
 */
export class CohortService {
  private readonly cohorts = new Map<string, Cohort>();

  constructor(dirs: readonly string[]) {
    for (const dir of dirs) {
      const cohort = loadCohort(resolve(dir));
      let name = basename(cohort.dir);
      for (let n = 2; this.cohorts.has(name); n++) name = `${basename(cohort.dir)}-${n}`;
      this.cohorts.set(name, cohort);
    }
  }

  names(): string[] {
    return [...this.cohorts.keys()];
  }

  list(): CohortSummary[] {
    return [...this.cohorts].map(([name, c]) => ({ name, subjects: c.subjects.length, usable: c.report.subjects.filter((s) => s.ok).length }));
  }

  subjects(name: string): CohortSubject[] {
    const cohort = this.get(name);
    return cohort.subjects.map((s) => {
      const report = cohort.report.subjects.find((r) => r.subjectId === s.id);
      return {
        id: s.id,
        label: s.label,
        usable: report?.ok ?? false,
        problems: (report?.problems ?? []).map((p) => `${p.rule}: ${p.message}`),
        timepoints: s.scans.map((scan) => scan.timepoint),
      };
    });
  }

  /**
   * What a prediction of one subject needs: the T0 and T1 images and the study input made from its
   * rows (days T1 - T0, centres, diameters and types, upper lobe and spiculation of the T1 row,
   * clinical cells, numbers parsed where the format defines numbers). A subject the validation
   * report marks unusable is an InputError listing its problems.
   */
  subjectStudy(name: string, subjectId: string): { paths: { t0: string; t1: string }; input: StudyInput } {
    const cohort = this.get(name);
    const subject = cohort.subjects.find((s) => s.id === subjectId);
    if (!subject) throw new NotFoundError(`cohort ${name} has no subject ${subjectId}`);
    const report = cohort.report.subjects.find((r) => r.subjectId === subjectId);
    if (report && !report.ok) {
      throw new InputError(`subject ${subjectId} of cohort ${name} is not usable: ${report.problems.map((p) => p.message).join('; ')}`, { rule: 'subject-unusable' });
    }
    const t0 = subject.scans.find((s) => s.index === 0);
    const t1 = subject.scans.find((s) => s.index === 1);
    if (!t0 || !t1) throw new InputError(`subject ${subjectId} of cohort ${name} needs scans T0 and T1`, { rule: 'subject-unusable' });
    const scan = (s: typeof t0) => ({
      x: s.centre[0],
      y: s.centre[1],
      z: s.centre[2],
      ...(s.diameterMm === undefined ? {} : { diameter_mm: s.diameterMm }),
      ...(s.noduleType === undefined ? {} : { nodule_type: s.noduleType }),
    });
    const input = checkStudyInput({
      label: `${name}/${subjectId}`,
      days: t1.days - t0.days,
      t0: scan(t0),
      t1: scan(t1),
      ...(t1.upperLobe === undefined ? {} : { upper_lobe: t1.upperLobe }),
      ...(t1.spiculation === undefined ? {} : { spiculation: t1.spiculation }),
      clinical: clinicalCells(subject),
    });
    return { paths: { t0: t0.image, t1: t1.image }, input };
  }

  private get(name: string): Cohort {
    const c = this.cohorts.get(name);
    if (!c) throw new NotFoundError(`no cohort named ${name} on this server`);
    return c;
  }
}

function clinicalCells(subject: Subject): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(subject.clinical)) {
    if (value === '') continue;
    out[key] = NUMERIC.has(key) && Number.isFinite(Number(value)) ? Number(value) : value;
  }
  return out;
}
