import type { F32 } from '../../tensor/kernels.js';

/** Reference batched matrix product c[b] = op(a[b]) @ op(b[b]); float64 accumulation per row. */
export function matmul(a: F32, b: F32, c: F32, batch: number, m: number, k: number, n: number, transA: boolean, transB: boolean, strideA: number, strideB: number): void {
  const row = new Float64Array(n);
  for (let bi = 0; bi < batch; bi++) {
    const ao = bi * strideA;
    const bo = bi * strideB;
    const co = bi * m * n;
    for (let i = 0; i < m; i++) {
      row.fill(0);
      for (let p = 0; p < k; p++) {
        const av = transA ? a[ao + p * m + i]! : a[ao + i * k + p]!;
        if (av === 0) continue;
        if (transB) {
          for (let j = 0; j < n; j++) row[j]! += av * b[bo + j * k + p]!;
        } else {
          const bb = bo + p * n;
          for (let j = 0; j < n; j++) row[j]! += av * b[bb + j]!;
        }
      }
      for (let j = 0; j < n; j++) c[co + i * n + j] = row[j]!;
    }
  }
}
