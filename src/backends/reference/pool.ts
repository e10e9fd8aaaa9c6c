import type { F32, Pool3dGeometry } from '../../tensor/kernels.js';

/** Reference max and average pooling over N*C planes (PyTorch semantics, ceil_mode off). */

function forEachWindow(g: Pool3dGeometry, fn: (plane: number, out: number, d0: number, h0: number, w0: number) => void): void {
  for (let p = 0; p < g.planes; p++) {
    for (let od = 0; od < g.od; od++) {
      for (let oh = 0; oh < g.oh; oh++) {
        for (let ow = 0; ow < g.ow; ow++) {
          fn(p, ((p * g.od + od) * g.oh + oh) * g.ow + ow, od * g.sd - g.pd, oh * g.sh - g.ph, ow * g.sw - g.pw);
        }
      }
    }
  }
}

export function maxPool3dForward(x: F32, y: F32, arg: Int32Array, g: Pool3dGeometry): void {
  const plane = g.id * g.ih * g.iw;
  forEachWindow(g, (p, o, d0, h0, w0) => {
    let best = -Infinity;
    let at = -1;
    for (let d = Math.max(d0, 0); d < Math.min(d0 + g.kd, g.id); d++) {
      for (let h = Math.max(h0, 0); h < Math.min(h0 + g.kh, g.ih); h++) {
        for (let w = Math.max(w0, 0); w < Math.min(w0 + g.kw, g.iw); w++) {
          const idx = (d * g.ih + h) * g.iw + w;
          const v = x[p * plane + idx]!;
          if (v > best || v !== v || at < 0) {
            best = v;
            at = idx;
            if (v !== v) break;
          }
        }
      }
    }
    y[o] = best;
    arg[o] = at;
  });
}

export function maxPool3dBackward(dy: F32, arg: Int32Array, dx: F32, g: Pool3dGeometry): void {
  const plane = g.id * g.ih * g.iw;
  const outPlane = g.od * g.oh * g.ow;
  dx.fill(0);
  for (let p = 0; p < g.planes; p++) {
    for (let o = 0; o < outPlane; o++) {
      const at = arg[p * outPlane + o]!;
      if (at >= 0) dx[p * plane + at]! += dy[p * outPlane + o]!;
    }
  }
}

export function avgPool3dForward(x: F32, y: F32, g: Pool3dGeometry): void {
  const plane = g.id * g.ih * g.iw;
  const divisor = g.kd * g.kh * g.kw;
  forEachWindow(g, (p, o, d0, h0, w0) => {
    let s = 0;
    for (let d = Math.max(d0, 0); d < Math.min(d0 + g.kd, g.id); d++) {
      for (let h = Math.max(h0, 0); h < Math.min(h0 + g.kh, g.ih); h++) {
        for (let w = Math.max(w0, 0); w < Math.min(w0 + g.kw, g.iw); w++) s += x[p * plane + (d * g.ih + h) * g.iw + w]!;
      }
    }
    y[o] = s / divisor;
  });
}

export function avgPool3dBackward(dy: F32, dx: F32, g: Pool3dGeometry): void {
  const plane = g.id * g.ih * g.iw;
  const divisor = g.kd * g.kh * g.kw;
  dx.fill(0);
  forEachWindow(g, (p, o, d0, h0, w0) => {
    const share = dy[o]! / divisor;
    for (let d = Math.max(d0, 0); d < Math.min(d0 + g.kd, g.id); d++) {
      for (let h = Math.max(h0, 0); h < Math.min(h0 + g.kh, g.ih); h++) {
        for (let w = Math.max(w0, 0); w < Math.min(w0 + g.kw, g.iw); w++) dx[p * plane + (d * g.ih + h) * g.iw + w]! += share;
      }
    }
  });
}
