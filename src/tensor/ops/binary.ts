import { record } from '../autograd.js';
import type { BinaryOp } from '../kernels.js';
import { kernel } from '../kernels.js';
import { broadcastShapes, broadcastStrides, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { binaryGrad, linearGrad } from './binary.grad.js';

/** A plain number used as an operand becomes a float32 scalar tensor. */
export function asTensor(v: Tensor | number): Tensor {
  return typeof v === 'number' ? Tensor.scalar(v) : v;
}

function binaryOp(op: BinaryOp, aIn: Tensor | number, bIn: Tensor | number): Tensor {
  const a = asTensor(aIn);
  const b = asTensor(bIn);
  const shape = broadcastShapes(op, a.shape, b.shape);
  const y = new Float32Array(sizeOf(shape));
  kernel('binary')(op, a.f32(op), broadcastStrides(a.shape, shape), b.f32(op), broadcastStrides(b.shape, shape), y, shape);
  const out = new Tensor(y, shape);
  if (op === 'add' || op === 'sub') return record(op, [a, b], out, shapesOnlyGrad(op, a, b));
  return record(op, [a, b], out, op === 'mul' ? operandsGrad(op, a, b) : valuesGrad(op, a, b, out));
}

// Backward closures are made in functions of their own, so each keeps only what it uses alive (a V8
// closure holds its whole enclosing scope). The gradients of + and - need the operands' shapes only.
function shapesOnlyGrad(op: 'add' | 'sub', a: Tensor, b: Tensor): (dy: Tensor) => [Tensor | null, Tensor | null] {
  const sa = { shape: a.shape, requiresGrad: a.requiresGrad };
  const sb = { shape: b.shape, requiresGrad: b.requiresGrad };
  return (dy) => linearGrad(op, dy, sa, sb);
}

/** mul needs both operands but not its output. */
function operandsGrad(op: BinaryOp, a: Tensor, b: Tensor): (dy: Tensor) => [Tensor | null, Tensor | null] {
  return (dy) => binaryGrad(op, dy, a, b, null);
}

/** div, max and min need the output too. */
function valuesGrad(op: BinaryOp, a: Tensor, b: Tensor, out: Tensor): (dy: Tensor) => [Tensor | null, Tensor | null] {
  return (dy) => binaryGrad(op, dy, a, b, out);
}

/** a + b with broadcasting. */
export function add(a: Tensor | number, b: Tensor | number): Tensor {
  return binaryOp('add', a, b);
}

/** a - b with broadcasting. */
export function sub(a: Tensor | number, b: Tensor | number): Tensor {
  return binaryOp('sub', a, b);
}

/** a * b element-wise with broadcasting. */
export function mul(a: Tensor | number, b: Tensor | number): Tensor {
  return binaryOp('mul', a, b);
}

/** a / b element-wise with broadcasting. */
export function div(a: Tensor | number, b: Tensor | number): Tensor {
  return binaryOp('div', a, b);
}

/** Element-wise maximum with broadcasting; at ties the gradient is split equally (as PyTorch). */
export function maximum(a: Tensor | number, b: Tensor | number): Tensor {
  return binaryOp('max', a, b);
}

/** Element-wise minimum with broadcasting; at ties the gradient is split equally (as PyTorch). */
export function minimum(a: Tensor | number, b: Tensor | number): Tensor {
  return binaryOp('min', a, b);
}
