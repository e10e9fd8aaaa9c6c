import type { Shape } from '../shape.js';
import { sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { permuteData, reducedShape } from './reduce.js';

/** Spreads dy (reduced over `axes`) back over `shape`, times `scale`. */
function spread(dy: Tensor, shape: Shape, axes: readonly number[], scale: number): Tensor {
  const keep = reducedShape(shape, axes, true);
  const out = new Float32Array(sizeOf(shape));
  const src = dy.f32('reduce.grad');
  // Walk the output in row-major order, mapping each index to its reduced position.
  const rank = shape.length;
  const keepStrides = new Array<number>(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    keepStrides[i] = keep[i] === 1 ? 0 : s;
    s *= keep[i]!;
  }
  const index = new Array<number>(rank).fill(0);
  let k = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = src[k]! * scale;
    for (let axis = rank - 1; axis >= 0; axis--) {
      index[axis]! += 1;
      k += keepStrides[axis]!;
      if (index[axis]! < shape[axis]!) break;
      k -= keepStrides[axis]! * shape[axis]!;
      index[axis] = 0;
    }
  }
  return new Tensor(out, shape);
}

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
