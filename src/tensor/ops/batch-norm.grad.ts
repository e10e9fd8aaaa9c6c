import type { BatchNormGeometry } from '../kernels.js';
import { kernel } from '../kernels.js';
import { Tensor } from '../tensor.js';

/** Gradients of batchNorm for x, weight (gamma) and bias (beta), through the batch statistics when training. */
export function batchNormGrad(dy: Tensor, x: Tensor, gamma: Tensor | null, beta: Tensor | null, mean: Float32Array, invstd: Float32Array, g: BatchNormGeometry, training: boolean): [Tensor | null, Tensor | null, Tensor | null] {
  const dx = new Float32Array(x.size);
  const dgamma = gamma?.requiresGrad ? new Float32Array(g.c) : null;
  const dbeta = beta?.requiresGrad ? new Float32Array(g.c) : null;
  kernel('batchNormBackward')(x.f32(), dy.f32('batchNorm.grad'), mean, invstd, gamma ? gamma.f32() : null, dx, dgamma, dbeta, g, training);
  return [x.requiresGrad ? new Tensor(dx, x.shape) : null, dgamma && new Tensor(dgamma, [g.c]), dbeta && new Tensor(dbeta, [g.c])];
}
