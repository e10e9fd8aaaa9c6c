import type { ModelName, PatchNormalization, VariantName } from '../model/variants.js';
import { MODEL_NAMES } from '../model/variants.js';

/** What `csfnet demo` runs at each size; chosen so the default fits 15 minutes and --quick 3 on two cores. */
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
}

export const DEMO_PLANS: Record<DemoPlan['name'], DemoPlan> = {
  quick: { name: 'quick', subjects: 60, folds: 3, epochs: 4, variant: 'small', models: MODEL_NAMES, batch: 8, lr: 3e-4, seed: 0, normalization: 'zscore', classWeights: 'balanced' },
  default: { name: 'default', subjects: 200, folds: 3, epochs: 10, variant: 'small', models: MODEL_NAMES, batch: 8, lr: 3e-4, seed: 0, normalization: 'zscore', classWeights: 'balanced' },
  full: { name: 'full', subjects: 200, folds: 5, epochs: 20, variant: 'small', models: MODEL_NAMES, batch: 8, lr: 3e-4, seed: 0, normalization: 'zscore', classWeights: 'balanced' },
};

export function describePlan(p: DemoPlan): string {
  return `${p.subjects} synthetic subjects, ${p.folds}-fold cross-validation, ${p.variant} variant, ${p.epochs} epochs, batch ${p.batch}, Adam lr ${p.lr}${p.classWeights ? `, ${p.classWeights} class weights` : ''}, seed ${p.seed}; models ${p.models.join(', ')} and the clinical rules`;
}
