import type { F32 } from '../../tensor/kernels.js';

/**
 * One Adam (Kingma and Ba 2015) or AdamW (Loshchilov and Hutter 2019) update, in the order
 * torch.optim.Adam/AdamW apply it (PyTorch docs, "Algorithm"): bias corrections
 * 1 - beta^step, denominator sqrt(v)/sqrt(1 - beta2^step) + eps.
 */
export function adamStep(p: F32, grad: F32, m: F32, v: F32, lr: number, beta1: number, beta2: number, eps: number, weightDecay: number, step: number, decoupled: boolean): void {
  const bc1 = 1 - beta1 ** step;
  const bc2Sqrt = Math.sqrt(1 - beta2 ** step);
  const stepSize = lr / bc1;
  const decay = decoupled ? 1 - lr * weightDecay : 1;
  for (let i = 0; i < p.length; i++) {
    let g = grad[i]!;
    let w = p[i]!;
    if (decoupled) w *= decay;
    else if (weightDecay !== 0) g += weightDecay * w;
    const mi = beta1 * m[i]! + (1 - beta1) * g;
    const vi = beta2 * v[i]! + (1 - beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    p[i] = w - (stepSize * mi) / (Math.sqrt(vi) / bc2Sqrt + eps);
  }
}
