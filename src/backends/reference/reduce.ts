import type { F32 } from '../../tensor/kernels.js';

/** Reference reductions over the middle axis of x viewed as (outer, r, inner); float64 sums. */
export function reduceSum(x: F32, y: F32, outer: number, r: number, inner: number): void {
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(0);
    for (let j = 0; j < r; j++) {
      const off = (o * r + j) * inner;
      for (let i = 0; i < inner; i++) acc[i]! += x[off + i]!;
    }
    for (let i = 0; i < inner; i++) y[o * inner + i] = acc[i]!;
  }
}

/** Maximum and first arg-max; a NaN is the maximum of any slice that holds one (PyTorch's rule). */
export function reduceMax(x: F32, y: F32, arg: Int32Array, outer: number, r: number, inner: number): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let best = -Infinity;
      let at = 0;
      for (let j = 0; j < r; j++) {
        const v = x[(o * r + j) * inner + i]!;
        if (v !== v) {
          best = v;
          at = j;
          break;
        }
        if (v > best) {
          best = v;
          at = j;
        }
      }
      y[o * inner + i] = best;
      arg[o * inner + i] = at;
    }
  }
}
