import { record } from '../autograd.js';
import { check } from '../errors.js';
import { kernel } from '../kernels.js';
import { sameShape, shapeToString, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { matmulGrad } from './matmul.grad.js';

/** How a batched product lays out its operands. */
export interface MatmulPlan {
  batch: number;
  m: number;
  k: number;
  n: number;
  strideA: number;
  strideB: number;
  batchShape: readonly number[];
}

/**
 * Matrix product over the last two axes, batched over the leading ones: a (..., m, k) @ b (..., k, n).
 * The batch axes must match, or one operand is a plain matrix shared by every batch entry.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  check(a.rank >= 2 && b.rank >= 2, 'matmul', () => `operands need at least 2 axes, got ${shapeToString(a.shape)} and ${shapeToString(b.shape)}`);
  const [m, k] = a.shape.slice(-2) as [number, number];
  const [k2, n] = b.shape.slice(-2) as [number, number];
  check(k === k2, 'matmul', () => `inner sizes differ: ${shapeToString(a.shape)} @ ${shapeToString(b.shape)}`);
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  check(aBatch.length === 0 || bBatch.length === 0 || sameShape(aBatch, bBatch), 'matmul', () => `batch axes differ: ${shapeToString(a.shape)} @ ${shapeToString(b.shape)}`);
  const batchShape = aBatch.length > 0 ? aBatch : bBatch;
  const plan: MatmulPlan = {
    batch: sizeOf(batchShape),
    m,
    k,
    n,
    strideA: aBatch.length > 0 ? m * k : 0,
    strideB: bBatch.length > 0 ? k * n : 0,
    batchShape,
  };
  const y = new Float32Array(plan.batch * m * n);
  kernel('matmul')(a.f32('matmul'), b.f32('matmul'), y, plan.batch, m, k, n, false, false, plan.strideA, plan.strideB);
  const out = new Tensor(y, [...batchShape, m, n]);
  return record('matmul', [a, b], out, (dy) => matmulGrad(dy, a, b, plan));
}
