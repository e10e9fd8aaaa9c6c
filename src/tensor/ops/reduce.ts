import { record } from '../autograd.js';
import { check } from '../errors.js';
import { kernel } from '../kernels.js';
import type { Shape } from '../shape.js';
import { normalizeAxes, shapeToString, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { maxGrad, maxGradRun, meanGrad, sumGrad } from './reduce.grad.js';

export interface ReduceOptions {
  /** Keep reduced axes with size 1 (PyTorch keepdim). */
  keepDims?: boolean;
}

/** Shape after reducing `axes`, with or without the reduced axes kept as 1. */
export function reducedShape(shape: Shape, axes: readonly number[], keepDims: boolean): number[] {
  return keepDims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
}

/**
 * Reduces `data` of `shape` over `axes` with a (outer, r, inner) kernel, one contiguous run of axes
 * at a time (from the last), so any axis set works with the two simple kernels.
 */
function reduceRuns(op: string, data: Float32Array, shape: Shape, axes: readonly number[], fn: (x: Float32Array, y: Float32Array, outer: number, r: number, inner: number) => void): Float32Array {
  let current = data;
  let dims = [...shape];
  for (let k = axes.length - 1; k >= 0; ) {
    let start = k;
    while (start > 0 && axes[start - 1] === axes[start]! - 1) start--;
    const first = axes[start]!;
    const last = axes[k]!;
    const outer = sizeOf(dims.slice(0, first));
    const r = sizeOf(dims.slice(first, last + 1));
    const inner = sizeOf(dims.slice(last + 1));
    const next = new Float32Array(outer * inner);
    check(r > 0 || next.length === 0, op, () => `cannot reduce over an empty axis of ${shapeToString(shape)}`);
    fn(current, next, outer, r, inner);
    current = next;
    dims = [...dims.slice(0, first), 1, ...dims.slice(last + 1)];
    k = start - 1;
  }
  return current;
}

/** Sum over `axes` (all by default). */
export function sum(x: Tensor, axes?: number | readonly number[], options: ReduceOptions = {}): Tensor {
  const ax = normalizeAxes('sum', axes, x.rank);
  const y = reduceRuns('sum', x.f32('sum'), x.shape, ax, kernel('reduceSum'));
  const out = new Tensor(y, reducedShape(x.shape, ax, options.keepDims ?? false));
  const shape = x.shape;
  return record('sum', [x], out, (dy) => [sumGrad(dy, shape, ax)]);
}

/** Mean over `axes` (all by default). */
export function mean(x: Tensor, axes?: number | readonly number[], options: ReduceOptions = {}): Tensor {
  const ax = normalizeAxes('mean', axes, x.rank);
  const count = sizeOf(ax.map((a) => x.shape[a]!));
  check(count > 0, 'mean', () => `mean over an empty axis of ${shapeToString(x.shape)}`);
  const y = reduceRuns('mean', x.f32('mean'), x.shape, ax, kernel('reduceSum'));
  for (let i = 0; i < y.length; i++) y[i]! /= count;
  const out = new Tensor(y, reducedShape(x.shape, ax, options.keepDims ?? false));
  const shape = x.shape;
  return record('mean', [x], out, (dy) => [meanGrad(dy, shape, ax, count)]);
}

/**
 * Maximum over `axes` (all by default); the gradient flows to the first arg-max of each slice
 * (for several axes: the first in row-major order within the slice). NaN is the maximum of a
 * slice that holds one.
 */
export function max(x: Tensor, axes?: number | readonly number[], options: ReduceOptions = {}): Tensor {
  const ax = normalizeAxes('max', axes, x.rank);
  const shape = reducedShape(x.shape, ax, options.keepDims ?? false);
  const r = sizeOf(ax.map((i) => x.shape[i]!));
  check(r > 0, 'max', () => `max over an empty axis of ${shapeToString(x.shape)}`);
  const contiguous = ax.every((a, i) => i === 0 || a === ax[i - 1]! + 1);
  if (contiguous) {
    // One run of axes: x is (outer, r, inner) as it lies in memory.
    const outer = sizeOf(x.shape.slice(0, ax[0]));
    const inner = sizeOf(x.shape.slice(ax[ax.length - 1]! + 1));
    const y = new Float32Array(outer * inner);
    const arg = new Int32Array(outer * inner);
    kernel('reduceMax')(x.f32('max'), y, arg, outer, r, inner);
    const inShape = x.shape;
    return record('max', [x], new Tensor(y, shape), (dy) => [maxGradRun(dy, inShape, arg, r, inner)]);
  }
  // Otherwise move the reduced axes last so each slice is contiguous.
  const others = x.shape.map((_, i) => i).filter((i) => !ax.includes(i));
  const order = [...others, ...ax];
  const moved = permuteData(x.f32('max'), x.shape, order);
  const outer = sizeOf(others.map((i) => x.shape[i]!));
  const y = new Float32Array(outer);
  const arg = new Int32Array(outer);
  kernel('reduceMax')(moved, y, arg, outer, r, 1);
  const inShape = x.shape;
  return record('max', [x], new Tensor(y, shape), (dy) => [maxGrad(dy, inShape, order, arg, r)]);
}

/** Copy of data with its axes reordered: output axis i is input axis order[i]. */
export function permuteData(data: Float32Array, shape: Shape, order: readonly number[]): Float32Array {
  if (order.every((a, i) => a === i)) return data;
  const rank = shape.length;
  const outShape = order.map((a) => shape[a]!);
  const inStrides = new Array<number>(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= shape[i]!;
  }
  const strides = order.map((a) => inStrides[a]!);
  const out = new Float32Array(data.length);
  if (out.length === 0) return out;
  const last = rank - 1;
  const inner = outShape[last]!;
  const step = strides[last]!;
  const index = new Array<number>(rank).fill(0);
  let src = 0;
  for (let o = 0; o < out.length; o += inner) {
    for (let i = 0; i < inner; i++) out[o + i] = data[src + i * step]!;
    for (let axis = last - 1; axis >= 0; axis--) {
      index[axis]! += 1;
      src += strides[axis]!;
      if (index[axis]! < outShape[axis]!) break;
      src -= strides[axis]! * outShape[axis]!;
      index[axis] = 0;
    }
  }
  return out;
}
