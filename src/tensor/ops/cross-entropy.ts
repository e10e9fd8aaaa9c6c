import { record } from '../autograd.js';
import { check } from '../errors.js';
import { shapeToString } from '../shape.js';
import { Tensor } from '../tensor.js';
import { logSoftmax } from './log-softmax.js';

/**
 * Mean negative log-likelihood of the target classes, as torch.nn.functional.nll_loss with
 * reduction 'mean': sum_i w[y_i] * -logp[i, y_i] / sum_i w[y_i] (w = 1 without class weights).
 * logp (B, C) float32, target (B) int32 in [0, C).
 */
export function nllLoss(logp: Tensor, target: Tensor, weight: Tensor | null = null): Tensor {
  check(logp.rank === 2, 'nllLoss', () => `log-probabilities must be (batch, classes), got ${shapeToString(logp.shape)}`);
  const [b, c] = logp.shape as [number, number];
  check(target.rank === 1 && target.shape[0] === b, 'nllLoss', () => `target ${shapeToString(target.shape)} does not match batch ${b}`);
  check(weight === null || (weight.rank === 1 && weight.shape[0] === c), 'nllLoss', () => `class weights ${weight ? shapeToString(weight.shape) : ''} do not fit ${c} classes`);
  const y = target.i32('nllLoss');
  const lp = logp.f32('nllLoss');
  const w = weight ? weight.f32('nllLoss') : null;
  let total = 0;
  let norm = 0;
  for (let i = 0; i < b; i++) {
    const k = y[i]!;
    check(k >= 0 && k < c, 'nllLoss', () => `target ${k} at ${i} is outside [0, ${c})`);
    const wi = w ? w[k]! : 1;
    total -= wi * lp[i * c + k]!;
    norm += wi;
  }
  const out = Tensor.scalar(total / norm);
  return record('nllLoss', [logp], out, (dy) => {
    const g = dy.item() / norm;
    const dx = new Float32Array(b * c);
    for (let i = 0; i < b; i++) dx[i * c + y[i]!] = -(w ? w[y[i]!]! : 1) * g;
    return [new Tensor(dx, logp.shape)];
  });
}

/** Cross-entropy of logits (B, C) against int32 targets (B), optional class weights (C); mean over the batch. */
export function crossEntropy(logits: Tensor, target: Tensor, weight: Tensor | null = null): Tensor {
  return nllLoss(logSoftmax(logits), target, weight);
}
