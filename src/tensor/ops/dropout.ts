import type { Rng } from '../../util/random.js';
import { record } from '../autograd.js';
import { check } from '../errors.js';
import { Tensor } from '../tensor.js';

/**
 * Inverted dropout: in training each value is zeroed with probability p and the rest scaled by
 * 1/(1-p); the mask is drawn from `rng`, so a seed fixes it. Outside training it returns x.
 */
export function dropout(x: Tensor, p: number, training: boolean, rng: Rng): Tensor {
  check(p >= 0 && p < 1, 'dropout', () => `probability must be in [0, 1), got ${p}`);
  if (!training || p === 0) return x;
  const src = x.f32('dropout');
  const scale = 1 / (1 - p);
  const mask = new Float32Array(x.size);
  for (let i = 0; i < mask.length; i++) mask[i] = rng.uniform() < p ? 0 : scale;
  const y = new Float32Array(x.size);
  for (let i = 0; i < y.length; i++) y[i] = src[i]! * mask[i]!;
  const out = new Tensor(y, x.shape);
  const shape = x.shape;
  return record('dropout', [x], out, (dy) => {
    const g = dy.f32();
    const dx = new Float32Array(mask.length);
    for (let i = 0; i < dx.length; i++) dx[i] = g[i]! * mask[i]!;
    return [new Tensor(dx, shape)];
  });
}
