import type { Tensor } from '../tensor/index.js';
import { mul, noGrad, relu, slice, sum, upsampleTrilinear } from '../tensor/index.js';
import type { CsfNet } from './csf-net.js';
import { MODEL_PARTS } from './variants.js';

/** Grad-CAM maps of one subject: for T0 and T1, D x H x W values in [0, 1] on the input patch grid. */
export interface GradCamMaps {
  t0: Float32Array | null;
  t1: Float32Array | null;
  /** The softmax probability of malignancy the maps explain. */
  pMalignant: number;
}

/**
 * Grad-CAM (Selvaraju et al., ICCV 2017) on the encoder's last stage: for each time point, channel
 * weights are the spatial mean of d(malignant logit)/d(features) (computed as the sum: the constant
 * cancels in the scaling below); the map is ReLU(sum_c w_c A_c),
 * upsampled trilinearly (align_corners false) to the patch size and scaled to [0, 1] (all zero when
 * nothing contributes). The model runs in eval mode; inputs are one subject (batch 1).
 */
export function gradCam(model: CsfNet, x0: Tensor | null, x1: Tensor, clin: Tensor | null): GradCamMaps {
  const patch = x1.shape.slice(2) as [number, number, number];
  const wasTraining = model.training;
  model.eval();
  try {
    const parts = MODEL_PARTS[model.config.model];
    const leaf = (x: Tensor | null, used: boolean): Tensor | null => (x && used ? noGrad(() => model.encode(x)).detach() : null);
    const a0 = leaf(x0, parts.t0);
    const a1 = leaf(x1, parts.image);
    for (const a of [a0, a1]) if (a) a.requiresGrad = true;
    const logits = model.forward(x0, x1, clin, a1 ? { encoded: { t0: a0, t1: a1 } } : {});
    const l = logits.f32();
    const pMalignant = 1 / (1 + Math.exp(l[0]! - l[1]!));
    if (logits.requiresGrad) sum(slice(logits, 1, 1, 2)).backward();
    const cam = (a: Tensor | null): Float32Array | null => {
      if (!a || !a.grad) return null;
      return noGrad(() => {
        const weights = sum(a.grad!, [2, 3, 4], { keepDims: true });
        const map = relu(sum(mul(weights, a), 1, { keepDims: true }));
        const up = upsampleTrilinear(map, patch, false).f32();
        let mx = 0;
        for (const v of up) mx = Math.max(mx, v);
        return mx > 0 ? up.map((v) => v / mx) : new Float32Array(up.length);
      });
    };
    return { t0: cam(a0), t1: cam(a1), pMalignant };
  } finally {
    model.train(wasTraining);
  }
}

