import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBackend } from '../backends/index.js';
import { CsfNet } from '../model/index.js';
import type { CsfNetConfig } from '../model/index.js';
import { ConfigError } from '../util/errors.js';
import { crossValidationSplits, stratifiedFolds } from './splits.js';
import { toySubjects } from './testing.js';
import { predictSubjects } from './predict.js';
import { DEFAULT_TRAIN_OPTIONS, resolveClassWeights, trainModel } from './trainer.js';
import type { TrainOptions } from './trainer.js';

useBackend('auto');
const tiny = (model: CsfNetConfig['model']): CsfNetConfig => ({ model, variant: 'custom', stages: [[4], [8]], categories: [2, 2], attnDropout: 0.2, normalization: 'zscore' });

test('stratified folds cover every subject once, balance classes, and follow the seed', () => {
  const labels = Array.from({ length: 23 }, (_, i) => (i % 3 === 0 ? 1 : 0));
  const folds = stratifiedFolds(labels, 5, 1);
  assert.deepEqual(folds.flat().sort((a, b) => a - b), labels.map((_, i) => i));
  for (const f of folds) {
    const pos = f.filter((i) => labels[i] === 1).length;
    assert.ok(pos === 1 || pos === 2, `positives per fold ${pos}`);
  }
  assert.deepEqual(stratifiedFolds(labels, 5, 1), folds);
  assert.notDeepEqual(stratifiedFolds(labels, 5, 2), folds);
  for (const s of crossValidationSplits(labels, 5, 1)) {
    const all = new Set([...s.train, ...s.validation, ...s.test]);
    assert.equal(all.size, labels.length, 'train, validation and test are disjoint and complete');
    assert.ok(s.validation.some((i) => labels[i] === 1) && s.validation.some((i) => labels[i] === 0));
  }
  assert.throws(() => stratifiedFolds([0, 1], 5, 1), ConfigError);
});

test('the clinical-only model learns a label carried by a clinical column', () => {
  const subjects = toySubjects(24, 3, true);
  const model = new CsfNet(tiny('clinical-only'), 1);
  const options: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, epochs: 15, lr: 1e-2, batchSize: 8, seed: 2 };
  const result = trainModel(model, subjects.slice(0, 16), subjects.slice(16), options);
  const last = result.history[result.history.length - 1]!;
  assert.ok(last.trainLoss < result.history[0]!.trainLoss, 'training loss goes down');
  assert.equal(result.history[result.bestEpoch]!.valAuc, 1);
});

test('an interrupted run resumed with --resume ends with the same weights as an uninterrupted one', () => {
  const subjects = toySubjects(6, 5);
  const dir = mkdtempSync(join(tmpdir(), 'csfnet-train-'));
  const options: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, epochs: 3, batchSize: 2, lr: 1e-3, seed: 4, statePath: join(dir, 'a.state') };
  const whole = new CsfNet(tiny('csfnet'), 7);
  const full = trainModel(whole, subjects.slice(0, 4), subjects.slice(4), options);

  const stateB = join(dir, 'b.state');
  const first = new CsfNet(tiny('csfnet'), 7);
  assert.throws(() => trainModel(first, subjects.slice(0, 4), subjects.slice(4), { ...options, statePath: stateB }, {
    onEpoch: (e) => {
      if (e.epoch === 1) throw new Error('killed');
    },
  }), /killed/);
  const resumed = new CsfNet(tiny('csfnet'), 99);
  const rest = trainModel(resumed, subjects.slice(0, 4), subjects.slice(4), { ...options, statePath: stateB, resume: true });
  assert.deepEqual(rest.history.map((h) => h.trainLoss), full.history.map((h) => h.trainLoss));
  assert.equal(rest.bestEpoch, full.bestEpoch);
  for (const [name, t] of whole.stateDict()) assert.deepEqual(resumed.stateDict().get(name)!.toArray(), t.toArray(), name);
  assert.throws(() => trainModel(new CsfNet(tiny('csfnet'), 7), subjects.slice(0, 4), subjects.slice(4), { ...options, lr: 5e-3, statePath: stateB, resume: true }), /other settings/);
});

test('balanced class weights give each class half the loss and move predictions off the majority class', () => {
  assert.deepEqual(resolveClassWeights('balanced', [0, 0, 0, 1]), [4 / 6, 2]);
  assert.deepEqual(resolveClassWeights([1, 3], [0, 1]), [1, 3]);
  assert.equal(resolveClassWeights(null, [0, 1]), null);
  assert.throws(() => resolveClassWeights('balanced', [0, 0]), ConfigError);

  // One malignant in four and clinical columns that carry nothing: unweighted, the model learns the
  // prevalence; balanced, it has no reason to lean either way.
  const subjects = toySubjects(32, 8).map((s, i) => ({ ...s, label: (i % 4 === 0 ? 1 : 0) as 0 | 1 }));
  const meanP = (classWeights: TrainOptions['classWeights']): number => {
    const model = new CsfNet(tiny('clinical-only'), 3);
    trainModel(model, subjects.slice(0, 24), subjects.slice(24), { ...DEFAULT_TRAIN_OPTIONS, epochs: 12, lr: 1e-2, batchSize: 8, seed: 5, classWeights });
    const p = predictSubjects(model, subjects).probabilities;
    return p.reduce((a, b) => a + b, 0) / p.length;
  };
  const plain = meanP(null);
  const balanced = meanP('balanced');
  assert.ok(plain < 0.4, `unweighted mean P(malignant) ${plain.toFixed(3)} near the prevalence 0.25`);
  assert.ok(balanced > 0.4 && balanced < 0.6, `balanced mean P(malignant) ${balanced.toFixed(3)} near 0.5`);
});

test('selection "last" keeps the final epoch\'s weights; "val-auc" may go back to an earlier epoch', () => {
  const subjects = toySubjects(8, 6);
  const options: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, epochs: 3, batchSize: 2, lr: 1e-3, seed: 4 };
  const byAuc = new CsfNet(tiny('csfnet'), 5);
  let finalState: Map<string, Float32Array | Int32Array> | null = null;
  const a = trainModel(byAuc, subjects.slice(0, 6), subjects.slice(6), options, {
    onEpoch: (e) => {
      if (e.epoch === 2) finalState = new Map([...byAuc.stateDict()].map(([k, t]) => [k, t.data.slice()]));
    },
  });
  const last = new CsfNet(tiny('csfnet'), 5);
  const b = trainModel(last, subjects.slice(0, 6), subjects.slice(6), { ...options, selection: 'last' });
  assert.notEqual(a.bestEpoch, 2, 'this seed makes val-auc keep an earlier epoch, so the check below can fail');
  assert.equal(b.bestEpoch, 2);
  assert.deepEqual(b.history.map((h) => h.valAuc), a.history.map((h) => h.valAuc), 'the same training, scored the same');
  for (const [k, t] of last.stateDict()) assert.deepEqual(t.data, finalState!.get(k), `${k} is the final epoch's`);
  assert.throws(() => trainModel(new CsfNet(tiny('csfnet'), 5), subjects.slice(0, 6), subjects.slice(6), { ...options, selection: 'last', patience: 2 }), ConfigError, 'early stopping needs a selection rule that can stop improving');
});
