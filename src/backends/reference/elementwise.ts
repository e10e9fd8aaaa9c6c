import type { BinaryOp, F32, UnaryOp } from '../../tensor/kernels.js';

/** Reference element-wise kernels. relu keeps NaN (x <= 0 is false for NaN), as PyTorch does. */
const UNARY: Record<UnaryOp, (x: number) => number> = {
  neg: (x) => -x,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  abs: Math.abs,
  relu: (x) => (x <= 0 ? 0 : x),
  sigmoid: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
  tanh: Math.tanh,
};

/** d op(x) / dx from the input x and output y. */
const DERIVATIVE: Record<UnaryOp, (x: number, y: number) => number> = {
  neg: () => -1,
  exp: (_x, y) => y,
  log: (x) => 1 / x,
  sqrt: (_x, y) => 0.5 / y,
  abs: (x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : x),
  relu: (x) => (x > 0 ? 1 : x <= 0 ? 0 : x),
  sigmoid: (_x, y) => y * (1 - y),
  tanh: (_x, y) => 1 - y * y,
};

export function unary(op: UnaryOp, x: F32, y: F32): void {
  const f = UNARY[op];
  for (let i = 0; i < x.length; i++) y[i] = f(x[i]!);
}

export function unaryBackward(op: UnaryOp, x: F32, y: F32, dy: F32, dx: F32): void {
  const d = DERIVATIVE[op];
  for (let i = 0; i < dy.length; i++) dx[i] = dy[i]! * d(x[i]!, y[i]!);
}

const BINARY: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  max: (a, b) => (a !== a || b !== b ? NaN : a > b ? a : b),
  min: (a, b) => (a !== a || b !== b ? NaN : a < b ? a : b),
};

export function binary(op: BinaryOp, a: F32, aStrides: readonly number[], b: F32, bStrides: readonly number[], out: F32, outShape: readonly number[]): void {
  const f = BINARY[op];
  const rank = outShape.length;
  if (rank === 0) {
    out[0] = f(a[0]!, b[0]!);
    return;
  }
  const last = rank - 1;
  const inner = outShape[last]!;
  const sa = aStrides[last]!;
  const sb = bStrides[last]!;
  const index = new Array<number>(rank).fill(0);
  let ao = 0;
  let bo = 0;
  for (let o = 0; o < out.length; o += inner) {
    for (let i = 0; i < inner; i++) out[o + i] = f(a[ao + i * sa]!, b[bo + i * sb]!);
    for (let axis = last - 1; axis >= 0; axis--) {
      index[axis]! += 1;
      ao += aStrides[axis]!;
      bo += bStrides[axis]!;
      if (index[axis]! < outShape[axis]!) break;
      ao -= aStrides[axis]! * outShape[axis]!;
      bo -= bStrides[axis]! * outShape[axis]!;
      index[axis] = 0;
    }
  }
}

export function axpby(alpha: number, x: F32, beta: number, y: F32): void {
  if (beta === 1) {
    for (let i = 0; i < y.length; i++) y[i]! += alpha * x[i]!;
  } else {
    for (let i = 0; i < y.length; i++) y[i] = alpha * x[i]! + beta * y[i]!;
  }
}
