import { kernel } from '../kernels.js';
import { Tensor } from '../tensor.js';
import type { MatmulPlan } from './matmul.js';

/**
 * dA = dY @ B^T and dB = A^T @ dY per batch entry; an operand shared across the batch gets the sum,
 * computed as one product over the stacked batch.
 */
export function matmulGrad(dy: Tensor, a: Tensor, b: Tensor, p: MatmulPlan): [Tensor | null, Tensor | null] {
  const mm = kernel('matmul');
  const g = dy.f32('matmul.grad');
  let da: Tensor | null = null;
  let db: Tensor | null = null;
  if (a.requiresGrad) {
    const out = new Float32Array(a.size);
    if (p.strideA === 0) {
      // A shared: dA (m, k) = sum_b dY_b @ B_b^T.
      const tmp = new Float32Array(p.m * p.k);
      for (let i = 0; i < p.batch; i++) {
        mm(g.subarray(i * p.m * p.n), b.f32().subarray(i * p.strideB), tmp, 1, p.m, p.n, p.k, false, true, 0, 0);
        kernel('axpby')(1, tmp, 1, out);
      }
    } else {
      mm(g, b.f32(), out, p.batch, p.m, p.n, p.k, false, true, p.m * p.n, p.strideB);
    }
    da = new Tensor(out, a.shape);
  }
  if (b.requiresGrad) {
    const out = new Float32Array(b.size);
    if (p.strideB === 0 && p.strideA !== 0) {
      // B shared: dB (k, n) = A_stacked^T (k, batch*m) @ dY_stacked (batch*m, n).
      mm(a.f32(), g, out, 1, p.k, p.batch * p.m, p.n, true, false, 0, 0);
    } else if (p.strideB === 0) {
      const tmp = new Float32Array(p.k * p.n);
      for (let i = 0; i < p.batch; i++) {
        mm(a.f32(), g.subarray(i * p.m * p.n), tmp, 1, p.k, p.m, p.n, true, false, 0, 0);
        kernel('axpby')(1, tmp, 1, out);
      }
    } else {
      mm(a.f32(), g, out, p.batch, p.k, p.m, p.n, true, false, p.strideA, p.m * p.n);
    }
    db = new Tensor(out, b.shape);
  }
  return [da, db];
}
