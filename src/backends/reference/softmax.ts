import type { F32 } from '../../tensor/kernels.js';

/** Reference log-softmax over the rows of x viewed as (rows, cols), max-shifted for stability. */
export function logSoftmax(x: F32, y: F32, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const off = r * cols;
    let mx = -Infinity;
    for (let c = 0; c < cols; c++) mx = Math.max(mx, x[off + c]!);
    let s = 0;
    for (let c = 0; c < cols; c++) s += Math.exp(x[off + c]! - mx);
    const lse = mx + Math.log(s);
    for (let c = 0; c < cols; c++) y[off + c] = x[off + c]! - lse;
  }
}

/** dx = dy - softmax * sum(dy) per row, softmax = exp(y). */
export function logSoftmaxBackward(y: F32, dy: F32, dx: F32, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const off = r * cols;
    let s = 0;
    for (let c = 0; c < cols; c++) s += dy[off + c]!;
    for (let c = 0; c < cols; c++) dx[off + c] = dy[off + c]! - Math.exp(y[off + c]!) * s;
  }
}
