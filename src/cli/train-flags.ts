import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { FUSED_POOLINGS, MODEL_NAMES, PATCH_NORMALIZATIONS, VARIANTS } from '../model/variants.js';
import type { FusedPooling, ModelName, PatchNormalization, VariantName } from '../model/variants.js';
import type { TrainOptions } from '../train/trainer.js';
import { DEFAULT_TRAIN_OPTIONS } from '../train/train-defaults.js';
import { choiceArg, floatArg, intArg } from './options.js';

/** Flags shared by train, cv and demo. */
export interface TrainFlags {
  variant: VariantName;
  epochs: number;
  batch: number;
  lr: number;
  seed: number;
  schedule: 'constant' | 'cosine';
  patience?: number;
  augment: boolean;
  validation: number;
  clinicalColumns?: string;
  normalization: PatchNormalization;
  pooling: FusedPooling;
  classWeights?: TrainOptions['classWeights'];
  select: TrainOptions['selection'];
  sizeWeight: number;
  growthWeight: number;
  clinicalDropout: number;
  clinicalWarmup: number;
}

export function addTrainFlags(cmd: Command, defaults: { epochs?: number; variant?: VariantName } = {}): Command {
  return cmd
    .option('--variant <name>', `network size: ${Object.keys(VARIANTS).join(', ')}`, choiceArg(Object.keys(VARIANTS) as VariantName[]), defaults.variant ?? 'small')
    .option('--epochs <n>', 'training epochs', intArg(1, 10000), defaults.epochs ?? DEFAULT_TRAIN_OPTIONS.epochs)
    .option('--batch <n>', 'subjects per training step', intArg(1, 1024), DEFAULT_TRAIN_OPTIONS.batchSize)
    .option('--lr <rate>', 'Adam learning rate', floatArg(0, 1), DEFAULT_TRAIN_OPTIONS.lr)
    .option('--seed <n>', 'seed of every random choice (splits, initialisation, augmentation, dropout)', intArg(0, 2 ** 31 - 1), 0)
    .option('--schedule <kind>', 'learning-rate schedule: constant or cosine', choiceArg(['constant', 'cosine'] as const), DEFAULT_TRAIN_OPTIONS.schedule)
    .option('--select <rule>', 'which epoch to keep: val-auc (best validation AUC) or last (the final epoch; validation still scored)', choiceArg(['val-auc', 'last'] as const), DEFAULT_TRAIN_OPTIONS.selection)
    .option('--patience <epochs>', 'stop after this many epochs without a better validation AUC', intArg(1, 10000))
    .option('--no-augment', 'train without flips, rot90 and noise')
    .option('--normalization <kind>', 'what the encoder does to the windowed patches: zscore (per patch, the paper) or none', choiceArg(PATCH_NORMALIZATIONS), 'zscore')
    .option('--pooling <kind>', 'how the fused map becomes the image vector: global (average of the whole map, the paper) or centre (its central 2x2 cells, where the nodule lies)', choiceArg(FUSED_POOLINGS), 'global')
    .option('--class-weights <spec>', 'cross-entropy class weights: balanced (each class half the loss, from the training labels) or BENIGN,MALIGNANT (default: unweighted, as the paper)', classWeightsArg)
    .option('--size-weight <w>', 'weight of an auxiliary loss teaching the encoder the annotated nodule diameter at each time point (0: off, the paper)', floatArg(0, 100), DEFAULT_TRAIN_OPTIONS.sizeWeight)
    .option('--growth-weight <w>', 'weight of an auxiliary loss teaching the temporal fusion the annotated growth ln(d_T1 / d_T0) (0: off, the paper)', floatArg(0, 100), DEFAULT_TRAIN_OPTIONS.growthWeight)
    .option('--clinical-dropout <p>', 'probability of hiding a training sample\'s clinical data from the networks with both branches, so the image branch keeps learning (0: off, the paper)', floatArg(0, 0.95), DEFAULT_TRAIN_OPTIONS.clinicalDropout)
    .option('--clinical-warmup <epochs>', 'train the networks with both branches on the images alone for this many epochs before they see clinical data, so the clinical branch cannot starve the image branch (0: off, the paper)', intArg(0, 10000), DEFAULT_TRAIN_OPTIONS.clinicalWarmup)
    .option('--validation <fraction>', 'share of training subjects held out for model selection', floatArg(0.05, 0.5), 0.2)
    .option('--clinical-columns <list>', 'subjects.csv columns the model uses (default: race,cigsmok,gender,age,famhist,emphysema where present)');
}

export function trainOptionsFrom(f: TrainFlags): Omit<TrainOptions, 'seed' | 'statePath' | 'resume'> {
  return {
    ...DEFAULT_TRAIN_OPTIONS,
    epochs: f.epochs,
    batchSize: f.batch,
    lr: f.lr,
    schedule: f.schedule,
    patience: f.patience ?? null,
    augment: f.augment,
    classWeights: f.classWeights ?? null,
    selection: f.select,
    sizeWeight: f.sizeWeight,
    growthWeight: f.growthWeight,
    clinicalDropout: f.clinicalDropout,
    clinicalWarmup: f.clinicalWarmup,
  };
}

/** --class-weights: 'balanced' or two positive numbers. */
function classWeightsArg(value: string): TrainOptions['classWeights'] {
  if (value === 'balanced') return 'balanced';
  const parts = value.split(',').map((v) => Number(v.trim()));
  if (parts.length !== 2 || parts.some((v) => !Number.isFinite(v) || v <= 0)) {
    throw new InvalidArgumentError(`expected balanced or two positive numbers BENIGN,MALIGNANT (e.g. 1,2), got "${value}"`);
  }
  return [parts[0]!, parts[1]!];
}

export function clinicalColumnsFrom(f: TrainFlags): string[] | undefined {
  return f.clinicalColumns?.split(',').map((c) => c.trim()).filter((c) => c.length > 0);
}

export const ALL_MODELS: readonly ModelName[] = MODEL_NAMES;
