import type { ClinicalRecord } from '../clinical/clinical-scores.js';

/** Voxels of one patch: 16 x 64 x 64 (D, H, W = z, y, x; x fastest), windowed HU in [0, 1]. */
export const PATCH_SHAPE = [16, 64, 64] as const;
export const PATCH_SIZE = 16 * 64 * 64;

/**
 * One subject as training and evaluation see it: its label, the preprocessed T0 and T1 patches
 * (null where the scan is missing), its clinical columns encoded as category indices (in the
 * order of the clinical schema), and the inputs of the clinical rules.
 */
export interface SubjectSample {
  readonly id: string;
  readonly label: 0 | 1;
  readonly t0: Float32Array | null;
  readonly t1: Float32Array | null;
  readonly clinical: Int32Array;
  readonly record?: ClinicalRecord;
}
