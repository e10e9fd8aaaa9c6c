import type { TrainOptions } from './trainer.js';

/** Training defaults (Adam lr 1e-4 as the paper; cosine schedule; the paper's augmentation). */
export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  epochs: 20,
  batchSize: 4,
  lr: 1e-4,
  seed: 0,
  schedule: 'cosine',
  classWeights: null,
  selection: 'val-auc',
  patience: null,
  augment: true,
  sizeWeight: 0,
  growthWeight: 0,
  clinicalDropout: 0,
  clinicalWarmup: 0,
  gradClip: null,
  statePath: null,
  resume: false,
};
