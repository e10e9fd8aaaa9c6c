import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBackend } from '../backends/index.js';
import { CsfNet } from '../model/index.js';
import type { Trace } from '../model/index.js';
import { noGrad, Tensor } from '../tensor/index.js';
import { makeBatch } from './batch.js';
import type { SubjectSample } from './sample.js';
import { growthReadout, growthTargets, readoutLoss, sizeReadout, sizeTarget, sizeTargets } from './size-supervision.js';
import { toySubjects, withDiameters } from './testing.js';
import { DEFAULT_TRAIN_OPTIONS, trainModel } from './trainer.js';

useBackend('auto');

test('size targets are ln(d / 2 mm), masked where the diameter is unknown', () => {
  const [a, b, c] = withDiameters(toySubjects(3, 1));
  const unknown: SubjectSample = { ...c!, record: { subjectId: c!.id, t0: {}, t1: {} } };
  const t = sizeTargets([a!, unknown, b!], 't1');
  assert.equal(t.count, 2);
  assert.deepEqual(t.mask.toArray(), [1, 0, 1]);
  assert.ok(Math.abs(t.target.toArray()[0]! - sizeTarget(a!.record!.t1.diameterMm!)) < 1e-6);
  assert.equal(sizeTarget(2), 0);
  assert.equal(sizeTargets([unknown], 't0').count, 0);
});

test('the size readout averages channel 0 over the central 2 x 2 cells of H and W, all of D', () => {
  // (B 1, C 2, D 2, H 4, W 4): channel 0 is 1 at the centre cells and 100 elsewhere; channel 1 is 1000.
  const values: number[] = [];
  for (let c = 0; c < 2; c++) {
    for (let z = 0; z < 2; z++) for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) values.push(c === 1 ? 1000 : y >= 1 && y < 3 && x >= 1 && x < 3 ? 1 + z : 100);
  }
  assert.deepEqual(sizeReadout(Tensor.from(values, [1, 2, 2, 4, 4])).toArray(), [1.5]);
});

test('the size loss is the masked mean squared error of channel 0\'s readout, with its gradient on channel 0 only', () => {
  // (B 3, C 2, 1 x 2 x 2): channel 0 means 1, 2, 3; channel 1 is noise that must not matter.
  const values = [1, 1, 1, 1, 9, 8, 7, 6, 2, 2, 2, 2, 5, 5, 5, 5, 3, 3, 3, 3, 0, 1, 0, 1];
  const encoded = Tensor.from(values, [3, 2, 1, 2, 2], true);
  const targets = { target: Tensor.from([1.5, 0, 2]), mask: Tensor.from([1, 0, 1]), count: 2 };
  assert.deepEqual(sizeReadout(encoded).toArray(), [1, 2, 3]);
  const loss = readoutLoss(sizeReadout(encoded), targets)!;
  assert.ok(Math.abs(loss.item() - ((1 - 1.5) ** 2 + (3 - 2) ** 2) / 2) < 1e-6);
  loss.backward();
  const g = encoded.grad!.toArray();
  // d/dx of (mean - t)^2 / count, spread over the 4 voxels of channel 0.
  const expected = [-0.5, 0, 1].map((e, i) => (2 * e * [1, 0, 1][i]!) / 2 / 4);
  for (let s = 0; s < 3; s++) {
    for (let v = 0; v < 4; v++) {
      assert.ok(Math.abs(g[s * 8 + v]! - expected[s]!) < 1e-6, `sample ${s} channel 0`);
      assert.equal(g[s * 8 + 4 + v], 0, `sample ${s} channel 1`);
    }
  }
  assert.equal(readoutLoss(sizeReadout(encoded), { ...targets, count: 0 }), null);
});

test('growth targets are ln(d_T1 / d_T0) where both diameters are known, read from channel 1 of the fused map', () => {
  const [a, b] = withDiameters(toySubjects(2, 1));
  const half: SubjectSample = { ...b!, record: { subjectId: b!.id, t0: {}, t1: { diameterMm: 9 } } };
  const g = growthTargets([a!, half]);
  assert.equal(g.count, 1);
  assert.deepEqual(g.mask.toArray(), [1, 0]);
  assert.ok(Math.abs(g.target.toArray()[0]! - Math.log(a!.record!.t1.diameterMm! / a!.record!.t0.diameterMm!)) < 1e-6);
  const fused = Tensor.from([1, 2, 3, 4, 5, 7, 9, 11], [1, 2, 1, 2, 2]);
  assert.deepEqual(growthReadout(fused).toArray(), [8]);
  // Under centre pooling only the central 2 x 2 cells of H and W count: channel 1 is 9 there, 100 around.
  const wide = Array.from({ length: 2 * 16 }, (_, i) => (i < 16 ? 0 : [5, 6, 9, 10].includes(i - 16) ? 9 : 100));
  assert.deepEqual(growthReadout(Tensor.from(wide, [1, 2, 1, 4, 4]), 'centre').toArray(), [9]);
});

test('training with size and growth weights teaches channel 0 of the encoder the size and channel 1 of the fusion the growth; without them, it does not', () => {
  const subjects = withDiameters(toySubjects(24, 4));
  const config = { model: 'csfnet' as const, variant: 'custom' as const, stages: [[4], [8]], categories: [2, 2], attnDropout: 0.2, normalization: 'zscore' as const };
  const options = { ...DEFAULT_TRAIN_OPTIONS, epochs: 12, batchSize: 8, lr: 1e-2, seed: 3, augment: false };
  const size = sizeTargets(subjects, 't1').target.toArray();
  const growth = growthTargets(subjects).target.toArray();
  const meanSquare = (a: number[], b: number[]): number => a.reduce((sum, v, i) => sum + (v - b[i]!) ** 2, 0) / a.length;
  const variance = (a: number[]): number => meanSquare(a, a.map(() => a.reduce((x, y) => x + y, 0) / a.length));
  const errors = (weight: number): { size: number; growth: number } => {
    const model = new CsfNet(config, 5);
    trainModel(model, subjects, [], { ...options, sizeWeight: weight, growthWeight: weight });
    // Batch statistics, as in training: after 36 steps the running statistics still lag.
    model.train();
    const batch = makeBatch(subjects, { needT0: true, needT1: true });
    const trace: Trace = {};
    noGrad(() => model.forward(batch.x0, batch.x1, batch.clin, { trace }));
    return { size: meanSquare(sizeReadout(trace.enc_t1!).toArray(), size), growth: meanSquare(growthReadout(trace.fused!).toArray(), growth) };
  };
  const supervised = errors(1);
  const unsupervised = errors(0);
  const show = `with ${JSON.stringify(supervised)}, without ${JSON.stringify(unsupervised)}, variances ${variance(size).toFixed(4)} / ${variance(growth).toFixed(4)}`;
  assert.ok(supervised.size < 0.75 * variance(size) && supervised.growth < 0.75 * variance(growth), show);
  assert.ok(supervised.size < unsupervised.size / 4 && supervised.growth < unsupervised.growth / 4, show);
});
