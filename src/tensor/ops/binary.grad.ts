import type { BinaryOp } from '../kernels.js';
import { kernel } from '../kernels.js';
import { broadcastShapes, broadcastStrides, sameShape, sizeOf } from '../shape.js';
import type { Shape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { sum } from './reduce.js';

/** Sums a broadcast gradient back to the operand's shape. */
export function unbroadcast(g: Tensor, shape: Shape): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  const reduced = axes.length > 0 ? sum(g, axes, { keepDims: true }) : g;
  return new Tensor(reduced.f32('unbroadcast'), shape);
}

/** dy combined element-wise with operands through a binary kernel (broadcasting a, b to dy's shape). */
function combine(op: BinaryOp, x: Tensor, y: Tensor): Tensor {
  const shape = broadcastShapes(op, x.shape, y.shape);
  const out = new Float32Array(sizeOf(shape));
  kernel('binary')(op, x.f32(op), broadcastStrides(x.shape, shape), y.f32(op), broadcastStrides(y.shape, shape), out, shape);
  return new Tensor(out, shape);
}

/** Where `a` gave the max/min result: 1, at ties 0.5, else 0 (shape of out). */
function winMask(a: Tensor, b: Tensor, out: Tensor): Tensor {
  const ea = combine('sub', a, out).f32();
  const eb = combine('sub', b, out).f32();
  const mask = new Float32Array(out.size);
  for (let i = 0; i < mask.length; i++) {
    const ia = ea[i] === 0;
    const ib = eb[i] === 0;
    mask[i] = ia && ib ? 0.5 : ia ? 1 : 0;
  }
  return new Tensor(mask, out.shape);
}

/** What the gradient of a + b or a - b needs to know of an operand. */
export interface OperandInfo {
  readonly shape: Shape;
  readonly requiresGrad: boolean;
}

/** Gradients of a + b and a - b: dy (negated for b of a subtraction), summed to each operand's shape. */
export function linearGrad(op: 'add' | 'sub', dy: Tensor, a: OperandInfo, b: OperandInfo): [Tensor | null, Tensor | null] {
  const ga = a.requiresGrad ? unbroadcast(dy, a.shape) : null;
  const gb = b.requiresGrad ? unbroadcast(op === 'add' ? dy : combine('mul', dy, Tensor.scalar(-1)), b.shape) : null;
  return [ga, gb];
}

/**
 * Gradients of out = op(a, b) with respect to a and b, reduced to their own shapes. `out` is needed
 * by div, max and min only (mul passes null, so its output need not stay alive).
 */
export function binaryGrad(op: BinaryOp, dy: Tensor, a: Tensor, b: Tensor, out: Tensor | null): [Tensor | null, Tensor | null] {
  const needA = a.requiresGrad;
  const needB = b.requiresGrad;
  let ga: Tensor | null = null;
  let gb: Tensor | null = null;
  switch (op) {
    case 'add':
    case 'sub':
      return linearGrad(op, dy, a, b);
    case 'mul':
      ga = needA ? combine('mul', dy, b) : null;
      gb = needB ? combine('mul', dy, a) : null;
      break;
    case 'div':
      ga = needA ? combine('div', dy, b) : null;
      gb = needB ? combine('mul', combine('div', combine('mul', dy, out!), b), Tensor.scalar(-1)) : null;
      break;
    case 'max':
    case 'min': {
      const m = winMask(a, b, out!);
      ga = needA ? combine('mul', dy, m) : null;
      gb = needB ? combine('mul', dy, combine('sub', Tensor.scalar(1), m)) : null;
      break;
    }
  }
  return [ga && unbroadcast(ga, a.shape), gb && unbroadcast(gb, b.shape)];
}
