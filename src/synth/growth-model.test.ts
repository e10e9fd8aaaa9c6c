import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../util/random.js';
import { diameterAt, sampleGrowth, sampleIntervalDays, vdtFromDiameters } from './growth-model.js';
import type { Growth } from './growth-model.js';
import { DEFAULT_SYNTH_CONFIG } from './synth-config.js';

const G = DEFAULT_SYNTH_CONFIG.growth;
const NONE = { vdtDays: Infinity, logVolumePerYear: 0, scarFraction: 1, coreGainPerYear: 0, densifyHuPerYear: 0 };

test('exponential growth doubles the volume every VDT days, and vdtFromDiameters inverts it', () => {
  const g: Growth = { ...NONE, course: 'malignant', vdtDays: 270 };
  const d1 = diameterAt(10, g, 270, 100);
  assert.ok(Math.abs((d1 / 10) ** 3 - 2) < 1e-12);
  const d2 = diameterAt(10, g, 365, 100);
  assert.ok(Math.abs(vdtFromDiameters(10, d2, 365) - 270) < 1e-9);
  assert.equal(diameterAt(10, g, 0, 100), 10);
});

test('growth is capped; shrinking, stable and resolving courses behave as documented', () => {
  const fast: Growth = { ...NONE, course: 'malignant', vdtDays: 60 };
  assert.equal(diameterAt(20, fast, 365, 40), 40);
  const shrink: Growth = { ...NONE, course: 'shrink', logVolumePerYear: Math.log(0.5) };
  assert.ok(Math.abs((diameterAt(8, shrink, 365, 40) / 8) ** 3 - 0.5) < 1e-12);
  const resolve: Growth = { ...NONE, course: 'resolve', scarFraction: 0.3 };
  assert.ok(Math.abs(diameterAt(10, resolve, 3650, 40) - 3) < 1e-6);
  assert.ok(diameterAt(10, resolve, 120, 40) > 3 && diameterAt(10, resolve, 120, 40) < 10);
  assert.ok(Math.abs(diameterAt(4, resolve, 3650, 40) - 2) < 1e-6, 'a scar is at least 2 mm');
});

test('malignant VDT medians follow the type (solid < part-solid < ground-glass)', () => {
  const rng = new Rng(9);
  const median = (type: 'solid' | 'part-solid' | 'ground-glass'): number => {
    const v = Array.from({ length: 3000 }, () => sampleGrowth(rng, 1, type, G))
      .filter((g) => g.course === 'malignant')
      .map((g) => g.vdtDays)
      .sort((a, b) => a - b);
    return v[Math.floor(v.length / 2)]!;
  };
  const [s, p, gg] = [median('solid'), median('part-solid'), median('ground-glass')];
  // Log-normal medians equal the configured ones; 3000 draws put them within about 5%.
  assert.ok(Math.abs(s / G.malignantVdtMedianDays.solid - 1) < 0.08, `solid ${s}`);
  assert.ok(Math.abs(p / G.malignantVdtMedianDays['part-solid'] - 1) < 0.08, `part-solid ${p}`);
  assert.ok(Math.abs(gg / G.malignantVdtMedianDays['ground-glass'] - 1) < 0.08, `ground-glass ${gg}`);
});

test('benign courses occur in the configured proportions; calcified benign nodules are stable', () => {
  const rng = new Rng(4);
  const n = 5000;
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const c = sampleGrowth(rng, 0, 'solid', G).course;
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  (['stable', 'shrink', 'resolve', 'grow'] as const).forEach((c, i) => {
    const p = G.benignCourseProbs[i]!;
    assert.ok(Math.abs((counts.get(c) ?? 0) / n - p) < 4 * Math.sqrt((p * (1 - p)) / n), `${c}: ${counts.get(c)}`);
  });
  for (let i = 0; i < 200; i++) assert.equal(sampleGrowth(rng, 0, 'calcified', G).course, 'stable');
  for (let i = 0; i < 200; i++) {
    const c = sampleGrowth(rng, 1, 'solid', G).course;
    assert.ok(c === 'malignant' || c === 'indolent');
  }
});

test('intervals are about a year and within the configured range', () => {
  const rng = new Rng(2);
  const d = Array.from({ length: 2000 }, () => sampleIntervalDays(rng, G));
  assert.ok(d.every((x) => x >= G.intervalDaysRange[0] && x <= G.intervalDaysRange[1]));
  const mean = d.reduce((a, b) => a + b, 0) / d.length;
  assert.ok(Math.abs(mean - 365) < 5, `mean interval ${mean}`);
});
