import type { Rng } from '../util/random.js';
import { PATCH_SHAPE } from './sample.js';

/** What one draw of the augmentation does to a subject's patches (the same for T0 and T1). */
export interface AugmentDraw {
  flipH: boolean;
  flipW: boolean;
  /** Quarter turns in the H-W plane. */
  rot90: number;
  noiseSigma: number;
}

/**
 * Augmentation of training patches as the paper describes (arXiv 2501.16400, Sec. 4.1): random
 * flips of the two in-plane axes, rot90 in-plane and Gaussian noise (sigma 0.05). The spatial
 * transform is drawn once per subject and applied to both time points, so growth stays aligned;
 * the noise is drawn per voxel from the same seeded generator.
 */
export function drawAugmentation(rng: Rng, noiseSigma = 0.05): AugmentDraw {
  return { flipH: rng.bernoulli(0.5), flipW: rng.bernoulli(0.5), rot90: rng.int(4), noiseSigma };
}

/** A new patch: the draw applied to `src` (D x H x W with H = W), plus noise from `rng`. */
export function augmentPatch(src: Float32Array, draw: AugmentDraw, rng: Rng): Float32Array {
  const [d, h, w] = PATCH_SHAPE;
  const out = new Float32Array(src.length);
  for (let z = 0; z < d; z++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        // Output (y, x) reads input (sy, sx): rotate by quarter turns, then flip.
        let sy = y;
        let sx = x;
        for (let r = 0; r < draw.rot90; r++) {
          const t = sy;
          sy = w - 1 - sx;
          sx = t;
        }
        if (draw.flipH) sy = h - 1 - sy;
        if (draw.flipW) sx = w - 1 - sx;
        out[(z * h + y) * w + x] = src[(z * h + sy) * w + sx]!;
      }
    }
  }
  if (draw.noiseSigma > 0) for (let i = 0; i < out.length; i++) out[i]! += draw.noiseSigma * rng.normal();
  return out;
}

