import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../util/errors.js';
import { checkSynthConfig, DEFAULT_SYNTH_CONFIG, synthConfigWith } from './synth-config.js';
import type { SynthConfig } from './synth-config.js';

test('the default config is consistent and cohort options can be replaced', () => {
  checkSynthConfig(DEFAULT_SYNTH_CONFIG);
  const c = synthConfigWith({ subjects: 12, prevalence: 0.2, format: 'nifti', t2Fraction: 0.5 });
  assert.deepEqual(c.cohort, { subjects: 12, prevalence: 0.2, format: 'nifti', t2Fraction: 0.5 });
  assert.equal(c.growth, DEFAULT_SYNTH_CONFIG.growth);
});

test('inconsistent configs are ConfigErrors naming every problem', () => {
  assert.throws(() => synthConfigWith({ prevalence: 0 }), (e: unknown) => e instanceof ConfigError && /prevalence/.test(e.message));
  assert.throws(() => synthConfigWith({ subjects: 2.5 }), /subjects/);
  const bad: SynthConfig = {
    ...DEFAULT_SYNTH_CONFIG,
    growth: { ...DEFAULT_SYNTH_CONFIG.growth, benignCourseProbs: [0.5, 0.5, 0.5, 0] },
    scan: { ...DEFAULT_SYNTH_CONFIG.scan, noiseHu: [40, 20] },
  };
  assert.throws(
    () => checkSynthConfig(bad),
    (e: unknown) => e instanceof ConfigError && /benignCourseProbs/.test(e.message) && /noiseHu/.test(e.message),
  );
});
