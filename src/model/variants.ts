import type { Stages } from './spatial-encoder.js';

/** The networks selectable by name: the full model and the ablations of the paper's comparison. */
export const MODEL_NAMES = ['csfnet', 'no-clinical', 'single-t1', 'concat-fusion', 'clinical-only'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

/** What each model name uses. */
export const MODEL_PARTS: Record<ModelName, { t0: boolean; t1: boolean; fusion: 'temporal' | 'concat' | 'none'; clinical: boolean; image: boolean; description: string }> = {
  csfnet: { t0: true, t1: true, fusion: 'temporal', clinical: true, image: true, description: 'full CSF-Net: T0 and T1 through the temporal residual fusion, clinical data through CMAF' },
  'no-clinical': { t0: true, t1: true, fusion: 'temporal', clinical: false, image: true, description: 'images only: the image vector goes straight to the classifier' },
  'single-t1': { t0: false, t1: true, fusion: 'none', clinical: true, image: true, description: 'one time point: the T1 patch only, no temporal fusion' },
  'concat-fusion': { t0: true, t1: true, fusion: 'concat', clinical: true, image: true, description: 'T0 and T1 features concatenated instead of the temporal residual block' },
  'clinical-only': { t0: false, t1: false, fusion: 'none', clinical: true, image: false, description: 'clinical variables only (embedding and projection), no images' },
};

/**
 * Encoder widths and depths by variant. `paper` is the published network (about 43 M parameters);
 * `small` trains one model on 200 subjects for 20 epochs in minutes on two CPU cores; `tiny` is the
 * configuration of the PyTorch parity fixtures, for tests.
 */
export const VARIANTS = {
  paper: [[64, 64, 64], [128, 128, 256], [256, 256, 256, 512]],
  small: [[8], [16], [32]],
  tiny: [[8, 8], [16], [16, 32]],
} as const satisfies Record<string, Stages>;
export type VariantName = keyof typeof VARIANTS;

/** NLST clinical columns of the paper and their category counts (label-encoded). */
export const NLST_COLUMNS = ['race', 'cigsmok', 'gender', 'age'] as const;
export const NLST_CATEGORIES = [7, 2, 2, 20] as const;

/** Everything that fixes a network's architecture; stored in checkpoints as `csfnet_config`. */
export interface CsfNetConfig {
  model: ModelName;
  variant: VariantName | 'custom';
  stages: Stages;
  /** Number of categories of each clinical column, in column order. */
  categories: readonly number[];
  /** Attention dropout of CMAF (0.2 in the paper). */
  attnDropout: number;
  /**
   * What the encoder does to the windowed [0, 1] patches it receives: 'zscore' standardises each
   * patch (the paper), 'none' uses them as they are (what the public code's network saw, since its
   * loader reloads the raw patch after normalising it).
   */
  normalization: PatchNormalization;
  /**
   * How the fused map becomes the image vector: 'global' averages the whole map (the paper);
   * 'centre' averages its central 2 x 2 cells in H and W (all of D), where the nodule lies, so the
   * chest wall that fills half of many patches does not dilute the growth. Absent = 'global'.
   */
  pooling?: FusedPooling;
}

/** The values of CsfNetConfig.normalization and .pooling; the first of each is the paper's. */
export const PATCH_NORMALIZATIONS = ['zscore', 'none'] as const;
export const FUSED_POOLINGS = ['global', 'centre'] as const;
export type PatchNormalization = (typeof PATCH_NORMALIZATIONS)[number];
export type FusedPooling = (typeof FUSED_POOLINGS)[number];

export function configFor(variant: VariantName, model: ModelName = 'csfnet', categories: readonly number[] = NLST_CATEGORIES, normalization: PatchNormalization = 'zscore', pooling: FusedPooling = 'global'): CsfNetConfig {
  return { model, variant, stages: VARIANTS[variant], categories, attnDropout: 0.2, normalization, pooling };
}
