import { record } from '../autograd.js';
import type { UnaryOp } from '../kernels.js';
import { kernel } from '../kernels.js';
import { Tensor } from '../tensor.js';
import { unaryGrad } from './unary.grad.js';

/** Ops whose derivative needs only the output: their backward keeps y alive, not x (less memory). */
const FROM_OUTPUT: ReadonlySet<UnaryOp> = new Set<UnaryOp>(['relu', 'sigmoid', 'tanh', 'exp', 'sqrt']);

function unaryOp(op: UnaryOp, x: Tensor): Tensor {
  const y = new Float32Array(x.size);
  kernel('unary')(op, x.f32(op), y);
  const out = new Tensor(y, x.shape);
  return record(op, [x], out, FROM_OUTPUT.has(op) ? gradFromOutput(op, out) : gradFromBoth(op, x, out));
}

// The backward closures are made in functions of their own: a closure keeps its whole enclosing
// scope alive in V8, so one made beside a reference to x would keep x's storage until backward.
function gradFromOutput(op: UnaryOp, out: Tensor): (dy: Tensor) => Tensor[] {
  return (dy) => [unaryGrad(op, dy, out, out)];
}

function gradFromBoth(op: UnaryOp, x: Tensor, out: Tensor): (dy: Tensor) => Tensor[] {
  return (dy) => [unaryGrad(op, dy, x, out)];
}

/** max(x, 0); NaN stays NaN; gradient 0 at x = 0 (as PyTorch). */
export const relu = (x: Tensor): Tensor => unaryOp('relu', x);
/** 1 / (1 + exp(-x)), computed without overflow. */
export const sigmoid = (x: Tensor): Tensor => unaryOp('sigmoid', x);
export const tanh = (x: Tensor): Tensor => unaryOp('tanh', x);
export const exp = (x: Tensor): Tensor => unaryOp('exp', x);
export const log = (x: Tensor): Tensor => unaryOp('log', x);
export const sqrt = (x: Tensor): Tensor => unaryOp('sqrt', x);
export const abs = (x: Tensor): Tensor => unaryOp('abs', x);
export const neg = (x: Tensor): Tensor => unaryOp('neg', x);
