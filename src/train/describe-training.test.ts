import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeTraining } from './describe-training.js';
import { DEFAULT_TRAIN_OPTIONS } from './train-defaults.js';

const paper = { folds: 5, seed: 3, variant: 'paper', validationFraction: 0.2, normalization: 'zscore', train: DEFAULT_TRAIN_OPTIONS } as const;

test('the paper\'s training is described without departures', () => {
  assert.equal(describeTraining(paper), '5-fold cross-validation, paper variant, 20 epochs, batch 4, Adam lr 0.0001 (cosine), unweighted cross-entropy, best-validation epoch kept, 20% of each training part for validation, fused map pooled globally, seed 3');
});

test('every departure from the paper is named', () => {
  const text = describeTraining({
    ...paper,
    normalization: 'none',
    pooling: 'centre',
    train: { ...DEFAULT_TRAIN_OPTIONS, classWeights: [1, 2], patience: 4, augment: false, clinicalDropout: 0.5, clinicalWarmup: 3, gradClip: 1 },
  });
  for (const part of ['class weights 1, 2', 'best-validation epoch kept (patience 4)', 'patch normalisation none', 'fused map pooled at its centre', 'no augmentation', 'images alone for the first 3 epochs', 'clinical dropout 0.5', 'gradient clipped at 1']) {
    assert.ok(text.includes(part), `${part} missing from: ${text}`);
  }
});
