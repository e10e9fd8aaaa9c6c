import type { Vec3 } from '../imaging/volume.js';
import { Rng } from '../util/random.js';
import type { PlannedScan, SubjectPlan } from './subject-plan.js';
import { DEFAULT_SYNTH_CONFIG } from './synth-config.js';
import type { NoduleModel } from './synth-config.js';

/** Where a scan's row points: its image path and the nodule centre in its world frame. */
export interface ScanLocation {
  readonly image: string;
  readonly centre: Vec3;
}

/**
 * diameter_mm as the simulated reader reports it: the true mean axial diameter plus normal error
 * of SD base + perMm x diameter (at least 1 mm), from a stream of its own per subject and time point.
 */
export function readerDiameter(seed: number, subjectId: string, timepoint: string, trueMm: number, sd: NoduleModel['readerSdMm']): number {
  const rng = new Rng(seed).fork('reader').fork(`${subjectId}/${timepoint}`);
  return Math.round(Math.max(1, trueMm + rng.normal(0, sd[0] + sd[1] * trueMm)) * 10) / 10;
}

export interface CohortCsv {
  readonly subjects: string;
  readonly scans: string;
  readonly truth: string;
}

function csv(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return [header.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n';
}

const round = (x: number, digits: number): number => Number(x.toFixed(digits));

/**
 * The three CSV files of a cohort: subjects.csv and scans.csv in the columns of
 * ../shared/docs/cohort-format.md, and synth-truth.csv with the generator's hidden variables
 * (true diameters, growth course, VDT, risk) for tests and for measuring how separable the classes
 * are. diameter_mm in scans.csv is a simulated reader's measurement (synth-config.ts, item 6).
 */
export function cohortRows(
  plans: readonly SubjectPlan[],
  locate: (plan: SubjectPlan, scan: PlannedScan) => ScanLocation,
  seed: number,
  reader: NoduleModel['readerSdMm'] = DEFAULT_SYNTH_CONFIG.nodule.readerSdMm,
): CohortCsv {
  const subjects = plans.map((p) => {
    const c = p.clinical;
    return [p.subjectId, p.label, c.age, c.gender, c.race, c.cigsmok, c.pkyr, c.smokeyr, c.famhist, c.emphysema];
  });
  const scans: (string | number)[][] = [];
  const truth: (string | number)[][] = [];
  for (const p of plans) {
    for (const s of p.scans) {
      const loc = locate(p, s);
      const d = s.nodule.diameterMm;
      const read = readerDiameter(seed, p.subjectId, s.timepoint, d, reader);
      scans.push([
        p.subjectId,
        s.timepoint,
        s.days,
        loc.image,
        ...loc.centre.map((x) => round(x, 2)),
        read,
        s.nodule.type,
        p.upperLobe ? 1 : 0,
        p.nodule.shapeClass === 'spiculated' ? 1 : 0,
      ]);
      truth.push([
        p.subjectId,
        s.timepoint,
        s.days,
        p.label,
        round(p.risk, 4),
        p.growth.course,
        Number.isFinite(p.growth.vdtDays) ? Math.round(p.growth.vdtDays) : '',
        round(d, 3),
        s.nodule.type,
        p.nodule.shapeClass,
        p.nodule.calcification,
        p.nodule.juxtapleural ? 1 : 0,
        p.nodule.vesselContact ? 1 : 0,
        Math.round(s.nodule.body.hu),
        round(s.geometry.noiseSd, 1),
        s.format,
      ]);
    }
  }
  return {
    subjects: csv(['subject_id', 'label', 'age', 'gender', 'race', 'cigsmok', 'pkyr', 'smokeyr', 'famhist', 'emphysema'], subjects),
    scans: csv(['subject_id', 'timepoint', 'days', 'image', 'x', 'y', 'z', 'diameter_mm', 'nodule_type', 'upper_lobe', 'spiculation'], scans),
    truth: csv(
      ['subject_id', 'timepoint', 'days', 'label', 'risk', 'course', 'vdt_days', 'diameter_mm', 'nodule_type', 'shape', 'calcification', 'juxtapleural', 'vessel_contact', 'body_hu', 'noise_hu', 'format'],
      truth,
    ),
  };
}
