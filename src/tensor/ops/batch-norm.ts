import { record } from '../autograd.js';
import { check } from '../errors.js';
import type { BatchNormGeometry } from '../kernels.js';
import { kernel } from '../kernels.js';
import { shapeToString, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { batchNormGrad } from './batch-norm.grad.js';

export interface BatchNormOptions {
  /** Use batch statistics and update the running ones (train mode), else use the running ones. */
  training: boolean;
  momentum?: number;
  eps?: number;
}

/**
 * Batch normalisation over axis 1 of x (N, C, ...), as torch.nn.functional.batch_norm.
 * Training: normalises with the batch mean and biased variance, and updates the running statistics
 * in place: running = (1 - momentum) * running + momentum * batch, the variance term using the
 * unbiased batch variance (n / (n - 1)), exactly as PyTorch. Evaluation: uses the running statistics.
 */
export function batchNorm(x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, gamma: Tensor | null, beta: Tensor | null, options: BatchNormOptions): Tensor {
  check(x.rank >= 2, 'batchNorm', () => `input needs a channel axis, got ${shapeToString(x.shape)}`);
  const g: BatchNormGeometry = { n: x.shape[0]!, c: x.shape[1]!, spatial: sizeOf(x.shape.slice(2)) };
  for (const [name, t] of [['runningMean', runningMean], ['runningVar', runningVar], ['weight', gamma], ['bias', beta]] as const) {
    check(t === null || (t.rank === 1 && t.shape[0] === g.c), 'batchNorm', () => `${name} ${t ? shapeToString(t.shape) : ''} does not fit ${g.c} channels of ${shapeToString(x.shape)}`);
  }
  const eps = options.eps ?? 1e-5;
  const momentum = options.momentum ?? 0.1;
  const count = g.n * g.spatial;
  const mean = new Float32Array(g.c);
  const invstd = new Float32Array(g.c);
  if (options.training) {
    check(count > 1, 'batchNorm', () => `expected more than 1 value per channel when training, got input ${shapeToString(x.shape)}`);
    const variance = new Float32Array(g.c);
    kernel('batchNormStats')(x.f32('batchNorm'), mean, variance, g);
    for (let c = 0; c < g.c; c++) invstd[c] = 1 / Math.sqrt(variance[c]! + eps);
    if (runningMean && runningVar) {
      const rm = runningMean.f32();
      const rv = runningVar.f32();
      const unbias = count / (count - 1);
      for (let c = 0; c < g.c; c++) {
        rm[c] = (1 - momentum) * rm[c]! + momentum * mean[c]!;
        rv[c] = (1 - momentum) * rv[c]! + momentum * variance[c]! * unbias;
      }
    }
  } else {
    check(runningMean !== null && runningVar !== null, 'batchNorm', () => 'evaluation needs running statistics');
    mean.set(runningMean.f32());
    const rv = runningVar.f32();
    for (let c = 0; c < g.c; c++) invstd[c] = 1 / Math.sqrt(rv[c]! + eps);
  }
  const y = new Float32Array(x.size);
  kernel('batchNormApply')(x.f32(), mean, invstd, gamma ? gamma.f32() : null, beta ? beta.f32() : null, y, g);
  const out = new Tensor(y, x.shape);
  return record('batchNorm', [x, gamma, beta], out, (dy) => batchNormGrad(dy, x, gamma, beta, mean, invstd, g, options.training));
}
