import type { Shape } from '../shape.js';
import { broadcastStrides, sizeOf } from '../shape.js';
import { kernel } from '../kernels.js';
import { Tensor } from '../tensor.js';
import { permuteData, reducedShape } from './reduce.js';

/** dy (reduced over `axes`, any keepDims) broadcast back over `shape`, times `scale`, by the binary kernel. */
function spread(dy: Tensor, shape: Shape, axes: readonly number[], scale: number): Tensor {
  const keep = reducedShape(shape, axes, true);
  const out = new Float32Array(sizeOf(shape));
  kernel('binary')('mul', dy.f32('reduce.grad'), broadcastStrides(keep, shape), SCALE(scale), shape.map(() => 0), out, shape);
  return new Tensor(out, shape);
}

const SCALE = (v: number): Float32Array => Float32Array.of(v);

export function sumGrad(dy: Tensor, shape: Shape, axes: readonly number[]): Tensor {
  return spread(dy, shape, axes, 1);
}

export function meanGrad(dy: Tensor, shape: Shape, axes: readonly number[], count: number): Tensor {
  return spread(dy, shape, axes, 1 / count);
}

/** Routes each dy value to its slice's arg-max; `order` is the permutation that made slices contiguous. */
export function maxGrad(dy: Tensor, shape: Shape, order: readonly number[], arg: Int32Array, r: number): Tensor {
  const g = dy.f32('max.grad');
  const moved = new Float32Array(sizeOf(shape));
  for (let o = 0; o < arg.length; o++) moved[o * r + arg[o]!] = g[o]!;
  const movedShape = order.map((a) => shape[a]!);
  const inverse = new Array<number>(order.length);
  order.forEach((a, i) => {
    inverse[a] = i;
  });
  return new Tensor(permuteData(moved, movedShape, inverse), shape);
}

/** Routes each dy value of a (outer, r, inner) max to its arg-max along r. */
export function maxGradRun(dy: Tensor, shape: Shape, arg: Int32Array, r: number, inner: number): Tensor {
  const g = dy.f32('max.grad');
  const dx = new Float32Array(sizeOf(shape));
  for (let k = 0; k < arg.length; k++) {
    const o = Math.floor(k / inner);
    const i = k - o * inner;
    dx[(o * r + arg[k]!) * inner + i] = g[k]!;
  }
  return new Tensor(dx, shape);
}
