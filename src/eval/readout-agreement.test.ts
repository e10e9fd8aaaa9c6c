import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalCdf, normalQuantile } from './normal-distribution.js';
import { pearson, pearsonInterval, readoutAgreement } from './readout-agreement.js';
import type { ReadoutPrediction } from './readout-agreement.js';
import { rocAuc } from './roc.js';

test('Pearson r: +1 and -1 on lines, a hand-computed value otherwise, NaN on a constant', () => {
  const x = [1, 2, 3, 4, 5];
  assert.ok(Math.abs(pearson(x, x.map((v) => 3 * v - 7)) - 1) < 1e-12);
  assert.ok(Math.abs(pearson(x, x.map((v) => -0.5 * v)) + 1) < 1e-12);
  // y = 2, 1, 4, 3, 5: sum dx dy = 8, sum dx^2 = 10, sum dy^2 = 10, so r = 0.8.
  assert.ok(Math.abs(pearson(x, [2, 1, 4, 3, 5]) - 0.8) < 1e-12);
  assert.ok(Number.isNaN(pearson(x, [1, 1, 1, 1, 1])));
  assert.throws(() => pearson([1, 2], [1]), /2 values against 1/);
});

test('the normal quantile inverts the normal CDF', () => {
  assert.ok(Math.abs(normalQuantile(0.975) - 1.959963984540054) < 1e-9);
  assert.ok(Math.abs(normalQuantile(0.5)) < 1e-12);
  for (const p of [1e-6, 0.01, 0.3, 0.9]) assert.ok(Math.abs(normalCdf(normalQuantile(p)) - p) < 1e-10 * Math.max(1, p / 1e-6), `p = ${p}`);
  assert.ok(Number.isNaN(normalQuantile(0)) && Number.isNaN(normalQuantile(1)));
});

test('the correlation interval is Fisher\'s z: r = 0.5 on 28 pairs gives tanh(atanh 0.5 +- 1.96 / 5)', () => {
  const iv = pearsonInterval(0.5, 28);
  const z = Math.atanh(0.5);
  const half = 1.959963984540054 / 5;
  assert.ok(Math.abs(iv.lower - Math.tanh(z - half)) < 1e-9 && Math.abs(iv.upper - Math.tanh(z + half)) < 1e-9, JSON.stringify(iv));
  assert.ok(iv.lower > 0.15 && iv.lower < 0.16 && iv.upper > 0.73 && iv.upper < 0.74);
  const wide = pearsonInterval(0.5, 10);
  assert.ok(wide.lower < iv.lower && wide.upper > iv.upper, 'fewer pairs, wider interval');
  assert.ok(Number.isNaN(pearsonInterval(0.5, 3).lower));
});

test('readout agreement groups by quantity and scores the readout and the annotation as malignancy scores', () => {
  const rows: ReadoutPrediction[] = [];
  const labels = [0, 0, 1, 0, 1, 1] as const;
  const growth = [0.0, 0.1, 0.5, -0.2, 0.3, 0.05];
  const read = [0.1, 0.0, 0.4, -0.1, 0.35, 0.2];
  labels.forEach((label, i) => {
    rows.push({ quantity: 'growth', subjectId: `S${i}`, fold: i % 2, label, value: read[i]!, target: growth[i]! });
    if (i < 4) rows.push({ quantity: 'size-t1', subjectId: `S${i}`, fold: i % 2, label, value: i, target: 2 * i });
  });
  const [size, g] = readoutAgreement(rows);
  assert.equal(size!.quantity, 'size-t1');
  assert.equal(size!.n, 4);
  assert.ok(Math.abs(size!.pearson.value - 1) < 1e-12);
  assert.equal(g!.quantity, 'growth');
  assert.equal(g!.n, 6);
  assert.ok(Math.abs(g!.pearson.value - pearson(read, growth)) < 1e-12);
  assert.equal(g!.aucReadout, rocAuc([...labels], read));
  assert.equal(g!.aucAnnotated, rocAuc([...labels], growth));
  assert.equal(readoutAgreement([]).length, 0);
});
