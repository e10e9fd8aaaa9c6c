import type { FusedPooling, PatchNormalization, VariantName } from '../model/index.js';
import type { TrainOptions } from './trainer.js';

/** What decides how a cross-validation's networks were trained. */
export interface TrainingSetup {
  folds: number;
  seed: number;
  variant: VariantName;
  validationFraction: number;
  normalization: PatchNormalization;
  pooling?: FusedPooling;
  train: Omit<TrainOptions, 'seed' | 'statePath' | 'resume'>;
}

/**
 * One sentence on how the networks were trained, for the report's method, the terminal and the
 * demo's opening line. Options at the paper's setting are named only where a reader would ask
 * (the pooling, the class weights); the departures from it are always named.
 */
export function describeTraining(s: TrainingSetup): string {
  const t = s.train;
  const weights = t.classWeights === null ? 'unweighted cross-entropy' : t.classWeights === 'balanced' ? 'balanced class weights' : `class weights ${t.classWeights.join(', ')}`;
  return [
    `${s.folds}-fold cross-validation, ${s.variant} variant, ${epochs(t.epochs)}, batch ${t.batchSize}, Adam lr ${t.lr} (${t.schedule})`,
    weights,
    t.selection === 'last' ? 'last epoch kept' : `best-validation epoch kept${t.patience === null ? '' : ` (patience ${t.patience})`}`,
    `${Math.round(100 * s.validationFraction)}% of each training part for validation`,
    s.normalization === 'zscore' ? '' : `patch normalisation ${s.normalization}`,
    (s.pooling ?? 'global') === 'centre' ? 'fused map pooled at its centre' : 'fused map pooled globally',
    t.augment ? '' : 'no augmentation',
    t.sizeWeight > 0 ? `size loss x${t.sizeWeight}` : '',
    t.growthWeight > 0 ? `growth loss x${t.growthWeight}` : '',
    t.clinicalWarmup > 0 ? `images alone for the first ${t.clinicalWarmup === 1 ? 'epoch' : epochs(t.clinicalWarmup)}` : '',
    t.clinicalDropout > 0 ? `clinical dropout ${t.clinicalDropout}` : '',
    t.gradClip === null ? '' : `gradient clipped at ${t.gradClip}`,
    `seed ${s.seed}`,
  ].filter(Boolean).join(', ');
}

function epochs(n: number): string {
  return n === 1 ? '1 epoch' : `${n} epochs`;
}
