import type { Conv3dGeometry, F32 } from '../../tensor/kernels.js';

/**
 * Reference 3-D convolution (cross-correlation, as PyTorch's Conv3d), zero padding, dilation 1,
 * groups 1. Loops are ordered so the innermost runs along contiguous output columns with the input
 * column range precomputed (no bounds checks inside).
 */

/** First and one-past-last output column whose input column o*s - p + k lies inside [0, size). */
function validRange(k: number, s: number, p: number, size: number, outSize: number): [number, number] {
  const start = Math.max(0, Math.ceil((p - k) / s));
  const end = Math.min(outSize, Math.floor((size - 1 + p - k) / s) + 1);
  return [start, Math.max(start, end)];
}

/** Calls fn(xRow, yRow, start, end) for every pair of input/output rows one kernel tap connects. */
function forEachRow(g: Conv3dGeometry, kd: number, kh: number, kw: number, fn: (xRow: number, yRow: number, xStep: number, start: number, end: number) => void): void {
  const [ws, we] = validRange(kw, g.sw, g.pw, g.iw, g.ow);
  if (ws >= we) return;
  for (let od = 0; od < g.od; od++) {
    const id = od * g.sd - g.pd + kd;
    if (id < 0 || id >= g.id) continue;
    for (let oh = 0; oh < g.oh; oh++) {
      const ih = oh * g.sh - g.ph + kh;
      if (ih < 0 || ih >= g.ih) continue;
      fn((id * g.ih + ih) * g.iw + kw - g.pw, (od * g.oh + oh) * g.ow, g.sw, ws, we);
    }
  }
}

export function conv3dForward(x: F32, w: F32, bias: F32 | null, y: F32, g: Conv3dGeometry, relu: boolean): void {
  const inPlane = g.id * g.ih * g.iw;
  const outPlane = g.od * g.oh * g.ow;
  const taps = g.kd * g.kh * g.kw;
  for (let n = 0; n < g.n; n++) {
    for (let co = 0; co < g.cout; co++) {
      const yOff = (n * g.cout + co) * outPlane;
      y.fill(bias ? bias[co]! : 0, yOff, yOff + outPlane);
      for (let ci = 0; ci < g.cin; ci++) {
        const xOff = (n * g.cin + ci) * inPlane;
        const wOff = (co * g.cin + ci) * taps;
        for (let kd = 0; kd < g.kd; kd++) {
          for (let kh = 0; kh < g.kh; kh++) {
            for (let kw = 0; kw < g.kw; kw++) {
              const wv = w[wOff + (kd * g.kh + kh) * g.kw + kw]!;
              forEachRow(g, kd, kh, kw, (xRow, yRow, step, start, end) => {
                const xb = xOff + xRow;
                const yb = yOff + yRow;
                for (let o = start; o < end; o++) y[yb + o]! += wv * x[xb + o * step]!;
              });
            }
          }
        }
      }
      if (relu) {
        for (let i = yOff; i < yOff + outPlane; i++) if (y[i]! <= 0) y[i] = 0;
      }
    }
  }
}

export function conv3dBackwardData(dy: F32, w: F32, dx: F32, g: Conv3dGeometry): void {
  const inPlane = g.id * g.ih * g.iw;
  const outPlane = g.od * g.oh * g.ow;
  const taps = g.kd * g.kh * g.kw;
  dx.fill(0);
  for (let n = 0; n < g.n; n++) {
    for (let ci = 0; ci < g.cin; ci++) {
      const xOff = (n * g.cin + ci) * inPlane;
      for (let co = 0; co < g.cout; co++) {
        const yOff = (n * g.cout + co) * outPlane;
        const wOff = (co * g.cin + ci) * taps;
        for (let kd = 0; kd < g.kd; kd++) {
          for (let kh = 0; kh < g.kh; kh++) {
            for (let kw = 0; kw < g.kw; kw++) {
              const wv = w[wOff + (kd * g.kh + kh) * g.kw + kw]!;
              forEachRow(g, kd, kh, kw, (xRow, yRow, step, start, end) => {
                const xb = xOff + xRow;
                const yb = yOff + yRow;
                for (let o = start; o < end; o++) dx[xb + o * step]! += wv * dy[yb + o]!;
              });
            }
          }
        }
      }
    }
  }
}

export function conv3dBackwardWeight(x: F32, dy: F32, dw: F32, db: F32 | null, g: Conv3dGeometry): void {
  const inPlane = g.id * g.ih * g.iw;
  const outPlane = g.od * g.oh * g.ow;
  const taps = g.kd * g.kh * g.kw;
  for (let co = 0; co < g.cout; co++) {
    for (let ci = 0; ci < g.cin; ci++) {
      for (let kd = 0; kd < g.kd; kd++) {
        for (let kh = 0; kh < g.kh; kh++) {
          for (let kw = 0; kw < g.kw; kw++) {
            let sum = 0;
            for (let n = 0; n < g.n; n++) {
              const xOff = (n * g.cin + ci) * inPlane;
              const yOff = (n * g.cout + co) * outPlane;
              forEachRow(g, kd, kh, kw, (xRow, yRow, step, start, end) => {
                const xb = xOff + xRow;
                const yb = yOff + yRow;
                let s = 0;
                for (let o = start; o < end; o++) s += dy[yb + o]! * x[xb + o * step]!;
                sum += s;
              });
            }
            dw[(co * g.cin + ci) * taps + (kd * g.kh + kh) * g.kw + kw] = sum;
          }
        }
      }
    }
    if (db) {
      let s = 0;
      for (let n = 0; n < g.n; n++) {
        const yOff = (n * g.cout + co) * outPlane;
        for (let i = 0; i < outPlane; i++) s += dy[yOff + i]!;
      }
      db[co] = s;
    }
  }
}
