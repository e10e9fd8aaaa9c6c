import type { Parameter } from '../module.js';

/**
 * torch.nn.utils.clip_grad_norm_ (L2): scales every gradient by max_norm / (total + 1e-6) when the
 * total norm exceeds max_norm; returns the total norm before clipping.
 */
export function clipGradNorm(params: readonly Parameter[], maxNorm: number): number {
  let sq = 0;
  for (const p of params) {
    if (!p.grad) continue;
    const g = p.grad.f32();
    for (let i = 0; i < g.length; i++) sq += g[i]! * g[i]!;
  }
  const total = Math.sqrt(sq);
  const coef = maxNorm / (total + 1e-6);
  if (coef < 1) {
    for (const p of params) {
      if (!p.grad) continue;
      const g = p.grad.f32();
      for (let i = 0; i < g.length; i++) g[i]! *= coef;
    }
  }
  return total;
}
