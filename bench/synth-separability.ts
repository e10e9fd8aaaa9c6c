/**
 * How separable the classes of a synthetic cohort are, measured with proxies before any network is
 * trained: cross-validated logistic models on T0 size, T0 appearance, growth, both time points,
 * clinical columns, and their combinations (src/synth/proxy-features.ts). Prints JSON.
 *
 *   node dist/bench/synth-separability.js --plans 3000 [--seed 1] [--prevalence 0.35]
 *       subjects drawn by the generator without rendering images; diameters as scans.csv has them
 *   node dist/bench/synth-separability.js --cohort DIR [--measure]
 *       a generated cohort folder; with --measure every diameter is measured on the image at the
 *       scans.csv coordinate (src/imaging/measure-nodule.ts), falling back to scans.csv where the
 *       segmentation fails (nodule joined to the chest wall or a vessel)
 *
 * AUC: mean and SD over 5 repeats of stratified 5-fold cross-validation; DeLong tests compare the
 * out-of-fold scores of the first repeat.
 */
import { loadCohort } from '../src/cohort/load-cohort.js';
import { readVolume } from '../src/imaging/read-volume.js';
import { measureNodule } from '../src/imaging/measure-nodule.js';
import { rocAuc } from '../src/eval/roc.js';
import { delongTest } from '../src/eval/delong.js';
import { calibrateIntercept } from '../src/synth/clinical-model.js';
import { planSubject } from '../src/synth/subject-plan.js';
import { synthConfigWith } from '../src/synth/synth-config.js';
import { crossValidatedScores } from '../src/synth/logistic-regression.js';
import { FEATURE_SETS, proxyFromCohort, proxyFromPlans } from '../src/synth/proxy-features.js';
import type { ProxyRecord } from '../src/synth/proxy-features.js';

const REPEATS = 5;
const FOLDS = 5;

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Diameters measured on the images: threshold -400 HU for solid nodules, -700 for ground glass. */
async function measureCohort(dir: string): Promise<{ measured: Map<string, number>; failed: number; total: number }> {
  const cohort = loadCohort(dir);
  const measured = new Map<string, number>();
  let failed = 0;
  let total = 0;
  for (const s of cohort.subjects) {
    for (const scan of s.scans) {
      total++;
      const glass = scan.noduleType === 'ground-glass' || scan.noduleType === 'part-solid';
      const { volume } = await readVolume(scan.image);
      const m = measureNodule(volume, scan.centre, { thresholdHu: glass ? -700 : -400 });
      if (m.meanDiameterMm !== null && !m.touchesBorder) measured.set(`${s.id}/${scan.timepoint}`, m.meanDiameterMm);
      else failed++;
    }
  }
  return { measured, failed, total };
}

async function records(): Promise<{ source: string; records: ProxyRecord[]; measurement?: object }> {
  const cohortDir = flag('cohort');
  if (cohortDir !== undefined) {
    if (process.argv.includes('--measure')) {
      const m = await measureCohort(cohortDir);
      return { source: `cohort ${cohortDir}, diameters measured on the images`, records: proxyFromCohort(loadCohort(cohortDir), m.measured), measurement: { scans: m.total, failed_fell_back_to_csv: m.failed } };
    }
    return { source: `cohort ${cohortDir}, diameters from scans.csv`, records: proxyFromCohort(loadCohort(cohortDir)) };
  }
  const n = Number(flag('plans') ?? '3000');
  const seed = Number(flag('seed') ?? '1');
  const cfg = synthConfigWith({ subjects: n, prevalence: Number(flag('prevalence') ?? '0.35') });
  const b0 = calibrateIntercept(seed, cfg.clinical, cfg.risk, cfg.cohort.prevalence);
  const plans = Array.from({ length: n }, (_, i) => planSubject(seed, i, cfg, b0));
  return { source: `${n} planned subjects, seed ${seed}, diameters as scans.csv reports them`, records: proxyFromPlans(plans, seed, cfg) };
}

const { source, records: recs, measurement } = await records();
const y = recs.map((r) => r.label);
const firstScores = new Map<string, number[]>();
const auc = FEATURE_SETS.map((set) => {
  const x = recs.map(set.features);
  const aucs = Array.from({ length: REPEATS }, (_, rep) => {
    const s = crossValidatedScores(x, y, FOLDS, 1000 + rep);
    if (rep === 0) firstScores.set(set.name, s);
    return rocAuc(y, s);
  });
  const mean = aucs.reduce((a, b) => a + b, 0) / REPEATS;
  const sd = Math.sqrt(aucs.reduce((a, b) => a + (b - mean) ** 2, 0) / (REPEATS - 1));
  return { set: set.name, auc: Number(mean.toFixed(3)), sd: Number(sd.toFixed(3)) };
});
const compare = (a: string, b: string): object => {
  const sa = firstScores.get(a);
  const sb = firstScores.get(b);
  if (!sa || !sb) throw new Error(`synth-separability: no feature set named "${sa ? b : a}"`);
  const r = delongTest(y, sb, sa);
  return { better: b, than: a, difference: Number(r.difference.toFixed(3)), p: Number(r.p.toPrecision(2)) };
};
process.stdout.write(
  `${JSON.stringify(
    {
      source,
      subjects: recs.length,
      malignant: y.filter((v) => v === 1).length,
      ...(measurement ? { measurement } : {}),
      auc,
      delong: [
        compare('T0 appearance (size, type, spiculation, lobe)', 'T0 + T1 (appearance at both, growth)'),
        compare('T1 appearance (what single-t1 sees)', 'T0 + T1 (appearance at both, growth)'),
        compare('T1 appearance + clinical', 'T0 + T1 + clinical'),
        compare('T0 + T1 (appearance at both, growth)', 'T0 + T1 + clinical'),
        compare('T0 appearance (size, type, spiculation, lobe)', 'T0 appearance + clinical'),
      ],
    },
    null,
    2,
  )}\n`,
);
