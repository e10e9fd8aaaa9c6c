import { Tensor } from '../tensor/index.js';

/**
 * Per-patch z-score of a batch (B, ...): each patch becomes (x - mean) / std over its own voxels,
 * std floored at 1e-6 (the paper's patch normalisation). Inputs carry no gradient, so this is a
 * plain transform, not a recorded op.
 */
export function zscorePatches(x: Tensor): Tensor {
  const src = x.f32('zscorePatches');
  const b = x.shape[0] ?? 1;
  const n = b === 0 ? 0 : src.length / b;
  const out = new Float32Array(src.length);
  for (let i = 0; i < b; i++) {
    const off = i * n;
    let s = 0;
    for (let k = 0; k < n; k++) s += src[off + k]!;
    const mean = s / n;
    let q = 0;
    for (let k = 0; k < n; k++) q += (src[off + k]! - mean) ** 2;
    const inv = 1 / Math.max(Math.sqrt(q / n), 1e-6);
    for (let k = 0; k < n; k++) out[off + k] = (src[off + k]! - mean) * inv;
  }
  return new Tensor(out, x.shape);
}
