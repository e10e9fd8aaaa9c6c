import type { BatchNormGeometry, F32 } from '../../tensor/kernels.js';

/** Reference batch normalisation over x viewed as (n, c, spatial); float64 sums. */
export function batchNormStats(x: F32, mean: F32, variance: F32, g: BatchNormGeometry): void {
  const count = g.n * g.spatial;
  for (let c = 0; c < g.c; c++) {
    let s = 0;
    for (let n = 0; n < g.n; n++) {
      const off = (n * g.c + c) * g.spatial;
      for (let i = 0; i < g.spatial; i++) s += x[off + i]!;
    }
    const mu = s / count;
    let v = 0;
    for (let n = 0; n < g.n; n++) {
      const off = (n * g.c + c) * g.spatial;
      for (let i = 0; i < g.spatial; i++) {
        const d = x[off + i]! - mu;
        v += d * d;
      }
    }
    mean[c] = mu;
    variance[c] = v / count;
  }
}

export function batchNormApply(x: F32, mean: F32, invstd: F32, gamma: F32 | null, beta: F32 | null, y: F32, g: BatchNormGeometry): void {
  for (let c = 0; c < g.c; c++) {
    const scale = invstd[c]! * (gamma ? gamma[c]! : 1);
    const shift = (beta ? beta[c]! : 0) - mean[c]! * scale;
    for (let n = 0; n < g.n; n++) {
      const off = (n * g.c + c) * g.spatial;
      for (let i = 0; i < g.spatial; i++) y[off + i] = x[off + i]! * scale + shift;
    }
  }
}

/**
 * Training: dx = gamma*invstd/M * (M*dy - sum(dy) - xhat*sum(dy*xhat)), M = n*spatial, as PyTorch.
 * Evaluation: dx = dy*gamma*invstd. dgamma = sum(dy*xhat), dbeta = sum(dy) in both.
 */
export function batchNormBackward(x: F32, dy: F32, mean: F32, invstd: F32, gamma: F32 | null, dx: F32, dgamma: F32 | null, dbeta: F32 | null, g: BatchNormGeometry, training: boolean): void {
  const count = g.n * g.spatial;
  for (let c = 0; c < g.c; c++) {
    const mu = mean[c]!;
    const is = invstd[c]!;
    let sdy = 0;
    let sdyx = 0;
    for (let n = 0; n < g.n; n++) {
      const off = (n * g.c + c) * g.spatial;
      for (let i = 0; i < g.spatial; i++) {
        const d = dy[off + i]!;
        sdy += d;
        sdyx += d * (x[off + i]! - mu) * is;
      }
    }
    if (dgamma) dgamma[c] = sdyx;
    if (dbeta) dbeta[c] = sdy;
    const gm = gamma ? gamma[c]! : 1;
    for (let n = 0; n < g.n; n++) {
      const off = (n * g.c + c) * g.spatial;
      if (training) {
        const k = (gm * is) / count;
        for (let i = 0; i < g.spatial; i++) {
          const xhat = (x[off + i]! - mu) * is;
          dx[off + i] = k * (count * dy[off + i]! - sdy - xhat * sdyx);
        }
      } else {
        const k = gm * is;
        for (let i = 0; i < g.spatial; i++) dx[off + i] = dy[off + i]! * k;
      }
    }
  }
}
