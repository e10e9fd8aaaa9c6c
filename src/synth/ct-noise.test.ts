import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addCtNoise } from './ct-noise.js';

test('noise has the requested SD, zero mean, in-plane correlation and none across slices', () => {
  const shape = [96, 96, 12] as const;
  const n = shape[0] * shape[1] * shape[2];
  const base = new Float32Array(n).fill(-800);
  const out = addCtNoise(base, shape, 30, 123);
  const e = Array.from(out, (v) => v + 800);
  const mean = e.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(e.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  assert.ok(Math.abs(mean) < 1, `mean ${mean}`);
  // Rounding to integers adds 1/12 HU^2 of variance: negligible at SD 30.
  assert.ok(Math.abs(sd / 30 - 1) < 0.03, `sd ${sd}`);
  const corr = (di: number, dk: number): number => {
    let s = 0;
    let c = 0;
    for (let k = 0; k + dk < shape[2]; k++) {
      for (let j = 1; j < shape[1] - 1; j++) {
        for (let i = 1; i + di < shape[0] - 1; i++) {
          const v = i + shape[0] * (j + shape[1] * k);
          s += (e[v]! - mean) * (e[v + di + dk * shape[0] * shape[1]]! - mean);
          c++;
        }
      }
    }
    return s / c / (sd * sd);
  };
  assert.ok(corr(1, 0) > 0.3, `in-plane lag-1 correlation ${corr(1, 0)}`);
  assert.ok(Math.abs(corr(0, 1)) < 0.05, `across-slice correlation ${corr(0, 1)}`);
});

test('the same seed gives the same noise, another seed other noise; values are clipped to int16 HU', () => {
  const shape = [16, 16, 2] as const;
  const base = new Float32Array(512).fill(0);
  assert.deepEqual(addCtNoise(base, shape, 20, 5), addCtNoise(base, shape, 20, 5));
  assert.notDeepEqual(addCtNoise(base, shape, 20, 5), addCtNoise(base, shape, 20, 6));
  const extreme = addCtNoise(new Float32Array(512).fill(-5000), shape, 10, 1);
  assert.ok(extreme.every((v) => v === -1024));
});
