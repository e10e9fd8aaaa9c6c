import { record } from '../autograd.js';
import { check } from '../errors.js';
import { normalizeAxis, shapeToString } from '../shape.js';
import { Tensor } from '../tensor.js';
import { permuteData } from './reduce.js';

/** Reorders axes (output axis i is input axis order[i]); the result is a contiguous copy. */
export function permute(x: Tensor, order: readonly number[]): Tensor {
  const axes = order.map((a) => normalizeAxis('permute', a, x.rank));
  check(axes.length === x.rank && new Set(axes).size === x.rank, 'permute', () => `order [${order.join(', ')}] is not a permutation of the axes of ${shapeToString(x.shape)}`);
  const out = new Tensor(permuteData(x.f32('permute'), x.shape, axes), axes.map((a) => x.shape[a]!));
  const inverse = new Array<number>(axes.length);
  axes.forEach((a, i) => {
    inverse[a] = i;
  });
  const shape = x.shape;
  return record('permute', [x], out, (dy) => [new Tensor(permuteData(dy.f32('permute'), dy.shape, inverse), shape)]);
}

/** Swaps two axes. */
export function transpose(x: Tensor, a = -2, b = -1): Tensor {
  const order = x.shape.map((_, i) => i);
  const i = normalizeAxis('transpose', a, x.rank);
  const j = normalizeAxis('transpose', b, x.rank);
  order[i] = j;
  order[j] = i;
  return permute(x, order);
}
