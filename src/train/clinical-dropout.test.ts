import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBackend } from '../backends/index.js';
import { CsfNet } from '../model/index.js';
import type { CsfNetConfig, Trace } from '../model/index.js';
import { noGrad, Tensor } from '../tensor/index.js';
import { Rng } from '../util/random.js';
import { makeBatch } from './batch.js';
import { clinicalKeep, hiddenShare } from './clinical-dropout.js';
import { toySubjects } from './testing.js';
import { DEFAULT_TRAIN_OPTIONS, trainModel } from './trainer.js';

useBackend('auto');
const tiny = (model: CsfNetConfig['model']): CsfNetConfig => ({ model, variant: 'custom', stages: [[4], [8]], categories: [2, 2], attnDropout: 0.2, normalization: 'zscore' });

test('the clinical keep factors are 0 or 1 with the given share of zeros, seeded, and absent where nothing is dropped', () => {
  const model = new CsfNet(tiny('csfnet'), 1);
  const keep = clinicalKeep(model, 4000, 0.3, new Rng(5))!.toArray();
  assert.ok(keep.every((v) => v === 0 || v === 1));
  const dropped = keep.filter((v) => v === 0).length / keep.length;
  assert.ok(Math.abs(dropped - 0.3) < 0.03, `dropped ${dropped}`);
  assert.deepEqual(clinicalKeep(model, 64, 0.3, new Rng(5))!.toArray(), keep.slice(0, 64), 'same seed, same draws');
  assert.equal(clinicalKeep(model, 8, 0, new Rng(5)), undefined);
  assert.equal(clinicalKeep(new CsfNet(tiny('no-clinical'), 1), 8, 0.5, new Rng(5)), undefined, 'no clinical branch');
  assert.equal(clinicalKeep(new CsfNet(tiny('clinical-only'), 1), 8, 0.5, new Rng(5)), undefined, 'no image branch');
});

test('a hidden sample\'s clinical vector is zero before the fusion; the other samples are untouched', () => {
  const model = new CsfNet(tiny('csfnet'), 2);
  model.eval();
  const batch = makeBatch(toySubjects(3, 1), { needT0: true, needT1: true });
  const run = (keep?: Tensor): { logits: number[]; tab: number[] } => {
    const trace: Trace = {};
    const logits = noGrad(() => model.forward(batch.x0, batch.x1, batch.clin, { trace, ...(keep ? { clinicalKeep: keep } : {}) })).toArray();
    return { logits, tab: trace.tab_vec!.toArray() };
  };
  const all = run();
  assert.deepEqual(run(Tensor.from([1, 1, 1], [3, 1])).logits, all.logits, 'all kept = nothing hidden');
  const hidden = run(Tensor.from([1, 0, 1], [3, 1]));
  const d = all.tab.length / 3;
  assert.ok(hidden.tab.slice(d, 2 * d).every((v) => v === 0), 'sample 1 hidden');
  assert.ok(all.tab.slice(d, 2 * d).some((v) => v !== 0));
  assert.deepEqual([...hidden.logits.slice(0, 2), ...hidden.logits.slice(4)], [...all.logits.slice(0, 2), ...all.logits.slice(4)]);
  assert.notDeepEqual(hidden.logits.slice(2, 4), all.logits.slice(2, 4));
});

test('training with clinical dropout is reproducible and differs from training without it', () => {
  const subjects = toySubjects(12, 3, true);
  const options = { ...DEFAULT_TRAIN_OPTIONS, epochs: 2, batchSize: 4, lr: 1e-2, seed: 4, augment: false };
  const weights = (p: number): number[] => {
    const model = new CsfNet(tiny('csfnet'), 6);
    trainModel(model, subjects, [], { ...options, clinicalDropout: p });
    return model.c2.weight.toArray();
  };
  const a = weights(0.5);
  assert.deepEqual(weights(0.5), a);
  assert.notDeepEqual(weights(0), a);
});

test('the warm-up hides every sample\'s clinical data for its epochs, then the dropout share applies', () => {
  const o = { clinicalDropout: 0.25, clinicalWarmup: 2 };
  assert.deepEqual([0, 1, 2, 3].map((e) => hiddenShare(e, o)), [1, 1, 0.25, 0.25]);
  assert.equal(hiddenShare(0, { clinicalDropout: 0, clinicalWarmup: 0 }), 0);
  assert.deepEqual(clinicalKeep(new CsfNet(tiny('csfnet'), 1), 5, 1, new Rng(5))!.toArray(), [0, 0, 0, 0, 0]);
});

test('during the warm-up the clinical branch does not move and the image branch trains; afterwards both train', () => {
  const model = new CsfNet(tiny('csfnet'), 7);
  const clinical = (): number[] => [...model.categoricalEmbeds!.weight.toArray(), ...model.linearProj!.weight.toArray()];
  const image = (): number[] => model.c2.weight.toArray();
  const start = { clinical: clinical(), image: image() };
  const after: { clinical: number[]; image: number[] }[] = [];
  const options = { ...DEFAULT_TRAIN_OPTIONS, epochs: 3, batchSize: 4, lr: 1e-2, seed: 4, augment: false, clinicalWarmup: 2 };
  trainModel(model, toySubjects(12, 3, true), [], options, { onEpoch: () => after.push({ clinical: clinical(), image: image() }) });
  assert.deepEqual(after[1]!.clinical, start.clinical, 'clinical weights unchanged through the 2 warm-up epochs');
  assert.notDeepEqual(after[0]!.image, start.image, 'the image branch trained in the first epoch');
  assert.notDeepEqual(after[2]!.clinical, start.clinical, 'the clinical weights train after the warm-up');
});

test('a warm-up as long as the training is refused', () => {
  const options = { ...DEFAULT_TRAIN_OPTIONS, epochs: 2, clinicalWarmup: 2 };
  assert.throws(() => trainModel(new CsfNet(tiny('csfnet'), 1), toySubjects(4, 1), [], options), /warm-up \(2 epochs\).*shorter than the training \(2 epochs\)/);
});
