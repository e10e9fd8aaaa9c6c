import { record } from '../autograd.js';
import { check } from '../errors.js';
import { kernel } from '../kernels.js';
import { normalizeAxis, shapeToString } from '../shape.js';
import { Tensor } from '../tensor.js';
import { exp } from './unary.js';

/** log(softmax(x)) over the last axis, computed stably (max-shifted). */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  check(x.rank >= 1 && normalizeAxis('logSoftmax', axis, x.rank) === x.rank - 1, 'logSoftmax', () => `only the last axis is supported, got axis ${axis} of ${shapeToString(x.shape)}`);
  const cols = x.shape[x.rank - 1]!;
  const rows = cols === 0 ? 0 : x.size / cols;
  const y = new Float32Array(x.size);
  kernel('logSoftmax')(x.f32('logSoftmax'), y, rows, cols);
  const out = new Tensor(y, x.shape);
  const shape = x.shape;
  return record('logSoftmax', [x], out, (dy) => {
    const dx = new Float32Array(y.length);
    kernel('logSoftmaxBackward')(y, dy.f32('logSoftmax.grad'), dx, rows, cols);
    return [new Tensor(dx, shape)];
  });
}

/** softmax over the last axis: exp(logSoftmax(x)). */
export function softmax(x: Tensor, axis = -1): Tensor {
  return exp(logSoftmax(x, axis));
}
