import { InputError } from '../util/errors.js';

/** Hounsfield unit of air (Hounsfield scale: water 0, air -1000). */
export const AIR_HU = -1000;

/**
 * Values at or below this are scanner padding (outside the reconstruction circle), not tissue:
 * no tissue is denser-than-nothing, and vendors pad with -2000, -3024 or -32768 (ct-input.md,
 * checklist item 3). They become air.
 */
export const PADDING_MAX_HU = -2000;

/**
 * In place: replaces padding (<= PADDING_MAX_HU, or exactly `paddingHu` when the DICOM header names
 * a PixelPaddingValue) with air, and refuses NaN or infinity with an InputError naming the file
 * (rule "finite-values"), so no non-finite value ever reaches a patch.
 */
export function sanitizeHu(data: Float32Array | Int16Array, file: string, paddingHu?: number): void {
  for (let n = 0; n < data.length; n++) {
    const v = data[n]!;
    if (!Number.isFinite(v)) {
      throw new InputError(`${file}: voxel ${n} is ${v}; images must hold finite values`, { file, rule: 'finite-values' });
    }
    if (v <= PADDING_MAX_HU || v === paddingHu) data[n] = AIR_HU;
  }
}
