import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calibrateIntercept } from './clinical-model.js';
import { planSubject } from './subject-plan.js';
import { DEFAULT_SYNTH_CONFIG } from './synth-config.js';
import { crossValidatedScores } from './logistic-regression.js';
import { FEATURE_SETS, proxyFromPlans } from './proxy-features.js';
import type { ProxyRecord } from './proxy-features.js';

/** AUC by counting pairs (positive scored above negative, ties one half): independent of eval/. */
function pairAuc(y: readonly number[], s: readonly number[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 1) continue;
    for (let j = 0; j < y.length; j++) {
      if (y[j] !== 0) continue;
      pairs++;
      wins += s[i]! > s[j]! ? 1 : s[i] === s[j] ? 0.5 : 0;
    }
  }
  return wins / pairs;
}

const CFG = DEFAULT_SYNTH_CONFIG;
const SEED = 8;
const B0 = calibrateIntercept(SEED, CFG.clinical, CFG.risk, CFG.cohort.prevalence);
const RECORDS: ProxyRecord[] = proxyFromPlans(
  Array.from({ length: 1500 }, (_, i) => planSubject(SEED, i, CFG, B0)),
  SEED,
  CFG,
);

test('growth is the volume change per year from the two diameters', () => {
  const r = RECORDS[0]!;
  const growth = FEATURE_SETS.find((s) => s.name.startsWith('growth'))!.features(r)[0]!;
  const expected = (Math.log((r.t1.diameterMm / r.t0.diameterMm) ** 3) * 365) / (r.t1.days - r.t0.days);
  assert.ok(Math.abs(growth - expected) < 1e-12);
});

test('the default cohort is informative, not separable: T0 < T0 + T1 < T0 + T1 + clinical < 0.97', () => {
  const y = RECORDS.map((r) => r.label);
  const auc = new Map(FEATURE_SETS.map((set) => [set.name, pairAuc(y, crossValidatedScores(RECORDS.map(set.features), y, 5, 1))]));
  const get = (prefix: string): number => [...auc.entries()].find(([k]) => k.startsWith(prefix))![1];
  const t0 = get('T0 appearance (');
  const both = get('T0 + T1 (');
  const all = get('T0 + T1 + clinical');
  const clinical = get('clinical, all');
  for (const [name, a] of auc) assert.ok(a > 0.55 && a < 0.97, `${name}: AUC ${a}`);
  assert.ok(both > t0 + 0.05, `two time points ${both} vs T0 ${t0}`);
  assert.ok(all > both + 0.01, `with clinical ${all} vs ${both}`);
  assert.ok(get('growth alone') > get('T0 size'), 'growth alone beats size alone');
  assert.ok(clinical < both, 'clinical data alone is weaker than the images');
});
