import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calibrateIntercept } from './clinical-model.js';
import { planSubject } from './subject-plan.js';
import type { SubjectPlan } from './subject-plan.js';
import { DEFAULT_SYNTH_CONFIG, synthConfigWith } from './synth-config.js';
import { anatomyToWorld } from './rigid-pose.js';
import { lungSd } from './thorax.js';

const CFG = DEFAULT_SYNTH_CONFIG;
const SEED = 17;
const B0 = calibrateIntercept(SEED, CFG.clinical, CFG.risk, CFG.cohort.prevalence);
const PLANS: SubjectPlan[] = Array.from({ length: 2500 }, (_, i) => planSubject(SEED, i, CFG, B0));

test('a subject depends only on the seed and its index', () => {
  assert.deepEqual(planSubject(SEED, 42, CFG, B0), PLANS[42]);
  assert.notDeepEqual(planSubject(SEED + 1, 42, CFG, B0).clinical, PLANS[42]!.clinical);
  assert.equal(PLANS[0]!.subjectId, 'SYN0001');
  assert.equal(PLANS[41]!.subjectId, 'SYN0042');
});

test('the share of malignant subjects matches the prevalence, and the risk model drives the label', () => {
  const n = PLANS.length;
  const share = PLANS.filter((p) => p.label === 1).length / n;
  assert.ok(Math.abs(share - 0.35) < 4 * Math.sqrt((0.35 * 0.65) / n), `share ${share}`);
  const meanRisk = (label: 0 | 1): number => {
    const r = PLANS.filter((p) => p.label === label).map((p) => p.risk);
    return r.reduce((a, b) => a + b, 0) / r.length;
  };
  assert.ok(meanRisk(1) > meanRisk(0) + 0.03, `risk ${meanRisk(1)} vs ${meanRisk(0)}`);
  const other = synthConfigWith({ prevalence: 0.6 });
  const b1 = calibrateIntercept(SEED, other.clinical, other.risk, 0.6);
  const share60 = Array.from({ length: 1500 }, (_, i) => planSubject(SEED, i, other, b1)).filter((p) => p.label === 1).length / 1500;
  assert.ok(Math.abs(share60 - 0.6) < 4 * Math.sqrt((0.6 * 0.4) / 1500), `share at prevalence 0.6: ${share60}`);
});

test('nodule appearance depends on the label in the documented direction, with overlap', () => {
  const of = (label: 0 | 1): SubjectPlan[] => PLANS.filter((p) => p.label === label);
  const median = (x: number[]): number => x.sort((a, b) => a - b)[Math.floor(x.length / 2)]!;
  const d = (label: 0 | 1): number[] => of(label).map((p) => p.nodule.diameter0Mm);
  assert.ok(median(d(1)) > median(d(0)));
  const share = (label: 0 | 1, f: (p: SubjectPlan) => boolean): number => of(label).filter(f).length / of(label).length;
  assert.ok(share(0, (p) => p.nodule.type === 'calcified') > share(1, (p) => p.nodule.type === 'calcified'));
  assert.ok(share(1, (p) => p.nodule.shapeClass === 'spiculated') > share(0, (p) => p.nodule.shapeClass === 'spiculated'));
  // Overlap: both classes have small and large, smooth and spiculated nodules.
  for (const label of [0, 1] as const) {
    assert.ok(d(label).some((x) => x < 6) && d(label).some((x) => x > 12), `label ${label} sizes`);
    assert.ok(share(label, (p) => p.nodule.shapeClass === 'smooth') > 0.15);
    assert.ok(share(label, (p) => p.nodule.shapeClass === 'spiculated') > 0.05);
  }
  const sizes = PLANS.map((p) => p.nodule.diameter0Mm);
  assert.ok(Math.min(...sizes) >= 4 && Math.max(...sizes) <= 25);
});

test('every scan covers at least 100 x 100 x 60 mm with the nodule and a 64 x 64 x 16 mm patch inside', () => {
  for (const p of PLANS.slice(0, 400)) {
    for (const s of p.scans) {
      const g = s.geometry;
      const extent = g.shape.map((n, a) => (n - 1) * g.spacing[a]!);
      assert.ok(extent[0]! >= 100 && extent[1]! >= 100 && extent[2]! >= 60, `${p.subjectId} ${s.timepoint}: ${extent}`);
      assert.ok(g.spacing[0] >= 0.6 && g.spacing[0] <= 0.9 && g.spacing[2] >= 1 && g.spacing[2] <= 2.5);
      const w = anatomyToWorld(g.pose, p.centre);
      for (let a = 0; a < 3; a++) {
        const lo = w[a]! - g.origin[a]!;
        const hi = g.origin[a]! + extent[a]! - w[a]!;
        const need = Math.max(a < 2 ? 32 : 8, p.reachMm);
        assert.ok(lo >= need && hi >= need, `${p.subjectId} ${s.timepoint} axis ${a}: ${lo}, ${hi} < ${need}`);
      }
    }
  }
});

test('T1 is shifted and rotated against T0; intraparenchymal nodules stay clear of the pleura', () => {
  let rotated = 0;
  for (const p of PLANS.slice(0, 300)) {
    const [t0, t1] = p.scans;
    const r0 = t0!.geometry.pose.rotation;
    const r1 = t1!.geometry.pose.rotation;
    // Angle of the relative rotation R1 R0^T from its trace.
    let trace = 0;
    for (let i = 0; i < 3; i++) for (let k = 0; k < 3; k++) trace += r1[3 * i + k]! * r0[3 * i + k]!;
    const deg = (Math.acos(Math.min(1, (trace - 1) / 2)) * 180) / Math.PI;
    assert.ok(deg < 3 * CFG.scan.maxRotationDeg);
    if (deg > 0.5) rotated++;
    assert.notDeepEqual(t0!.geometry.pose.translation, t1!.geometry.pose.translation);
    if (!p.nodule.juxtapleural) {
      assert.ok(lungSd(p.thorax, ...p.centre) < -(p.reachMm + 2.9), `${p.subjectId} reaches a wall`);
    }
    assert.ok(t1!.days >= 270 && t1!.days <= 540);
  }
  assert.ok(rotated > 250, `${rotated} of 300 T1 scans rotated by more than half a degree`);
});
