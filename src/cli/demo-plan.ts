import type { FusedPooling, ModelName, PatchNormalization, VariantName } from '../model/variants.js';
import { MODEL_NAMES } from '../model/variants.js';
import { describeTraining } from '../train/describe-training.js';
import type { TrainingSetup } from '../train/describe-training.js';
import { DEFAULT_TRAIN_OPTIONS } from '../train/train-defaults.js';

/** What `csfnet demo` runs at each size; chosen so the default fits 15 minutes and --quick 3 on two cores; --full is the 600-subject comparison. */
export interface DemoPlan {
  name: 'quick' | 'default' | 'full';
  subjects: number;
  folds: number;
  epochs: number;
  variant: VariantName;
  models: readonly ModelName[];
  batch: number;
  lr: number;
  seed: number;
  normalization: PatchNormalization;
  /** Cross-entropy class weights: 'balanced' so that the 0.5 threshold is not pulled to benign. */
  classWeights: 'balanced' | null;
  /** Which epoch's weights each fold keeps. */
  selection: 'val-auc' | 'last';
  /** How the fused map becomes the image vector (the paper: 'global'). */
  pooling: FusedPooling;
  /** Weights of the auxiliary size and growth losses (0: off, the paper). */
  sizeWeight: number;
  growthWeight: number;
  /** Epochs on the images alone before the networks see clinical data (0: off, the paper). */
  clinicalWarmup: number;
}

/**
 * Not the paper's head: the fused map pooled at its centre, where the nodule lies, and size and
 * growth taught from the cohort's diameters. With the paper's global pooling and the label alone,
 * the small network did not learn growth from these cohorts (README, "What the networks make of it").
 * Each plan also sets a clinical warm-up (epochs on the images alone), without which CSF-Net's
 * classifier leaned on the clinical branch and its image branch starved in one fold.
 */
const GROWTH_HEAD = { lr: 1e-3, selection: 'last', pooling: 'centre', sizeWeight: 3, growthWeight: 3 } as const;

export const DEMO_PLANS: Record<DemoPlan['name'], DemoPlan> = {
  quick: { name: 'quick', subjects: 60, folds: 3, epochs: 4, clinicalWarmup: 1, variant: 'small', models: MODEL_NAMES, batch: 8, seed: 0, normalization: 'zscore', classWeights: 'balanced', ...GROWTH_HEAD },
  default: { name: 'default', subjects: 200, folds: 3, epochs: 10, clinicalWarmup: 3, variant: 'small', models: MODEL_NAMES, batch: 8, seed: 0, normalization: 'zscore', classWeights: 'balanced', ...GROWTH_HEAD },
  full: { name: 'full', subjects: 600, folds: 3, epochs: 16, clinicalWarmup: 3, variant: 'small', models: MODEL_NAMES, batch: 8, seed: 0, normalization: 'zscore', classWeights: 'balanced', ...GROWTH_HEAD },
};

/** The cross-validation a plan runs: its networks' training, as `csfnet cv` would take it from flags. */
export function planSetup(p: DemoPlan): TrainingSetup {
  return {
    folds: p.folds,
    seed: p.seed,
    variant: p.variant,
    validationFraction: 0.2,
    normalization: p.normalization,
    pooling: p.pooling,
    train: {
      ...DEFAULT_TRAIN_OPTIONS,
      epochs: p.epochs,
      batchSize: p.batch,
      lr: p.lr,
      classWeights: p.classWeights,
      selection: p.selection,
      sizeWeight: p.sizeWeight,
      growthWeight: p.growthWeight,
      clinicalWarmup: p.clinicalWarmup,
    },
  };
}

export function describePlan(p: DemoPlan): string {
  return `${p.subjects} synthetic subjects, ${describeTraining(planSetup(p))}; models ${p.models.join(', ')} and the clinical rules`;
}
