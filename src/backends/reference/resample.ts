import type { F32, Resample3dGeometry } from '../../tensor/kernels.js';

/**
 * Reference adaptive average pooling and trilinear interpolation, with PyTorch's index rules:
 * adaptive bins [floor(i*in/out), ceil((i+1)*in/out)); trilinear source coordinate
 * o*(in-1)/(out-1) with align_corners, else max(0, (o+0.5)*in/out - 0.5).
 */

function adaptiveBins(inSize: number, outSize: number): Array<[number, number]> {
  return Array.from({ length: outSize }, (_, i) => [Math.floor((i * inSize) / outSize), Math.ceil(((i + 1) * inSize) / outSize)]);
}

function forEachBin(g: Resample3dGeometry, fn: (p: number, o: number, src: (cb: (idx: number) => void) => void, count: number) => void): void {
  const bd = adaptiveBins(g.id, g.od);
  const bh = adaptiveBins(g.ih, g.oh);
  const bw = adaptiveBins(g.iw, g.ow);
  const plane = g.id * g.ih * g.iw;
  for (let p = 0; p < g.planes; p++) {
    for (let od = 0; od < g.od; od++) {
      const [d0, d1] = bd[od]!;
      for (let oh = 0; oh < g.oh; oh++) {
        const [h0, h1] = bh[oh]!;
        for (let ow = 0; ow < g.ow; ow++) {
          const [w0, w1] = bw[ow]!;
          const o = ((p * g.od + od) * g.oh + oh) * g.ow + ow;
          fn(p, o, (cb) => {
            for (let d = d0; d < d1; d++) for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) cb(p * plane + (d * g.ih + h) * g.iw + w);
          }, (d1 - d0) * (h1 - h0) * (w1 - w0));
        }
      }
    }
  }
}

export function adaptiveAvgPool3dForward(x: F32, y: F32, g: Resample3dGeometry): void {
  forEachBin(g, (_p, o, src, count) => {
    let s = 0;
    src((i) => {
      s += x[i]!;
    });
    y[o] = s / count;
  });
}

export function adaptiveAvgPool3dBackward(dy: F32, dx: F32, g: Resample3dGeometry): void {
  dx.fill(0);
  forEachBin(g, (_p, o, src, count) => {
    const share = dy[o]! / count;
    src((i) => {
      dx[i]! += share;
    });
  });
}

/** For each output index: the two source indices and the weight of the second. */
function linearTaps(inSize: number, outSize: number, alignCorners: boolean): Array<[number, number, number]> {
  return Array.from({ length: outSize }, (_, o) => {
    let src: number;
    if (alignCorners) {
      src = outSize > 1 ? (o * (inSize - 1)) / (outSize - 1) : 0;
    } else {
      src = Math.max(0, ((o + 0.5) * inSize) / outSize - 0.5);
    }
    const i0 = Math.min(Math.floor(src), inSize - 1);
    const i1 = Math.min(i0 + 1, inSize - 1);
    return [i0, i1, src - i0];
  });
}

function forEachTrilinear(g: Resample3dGeometry, alignCorners: boolean, fn: (o: number, idx: readonly number[], wts: readonly number[]) => void): void {
  const td = linearTaps(g.id, g.od, alignCorners);
  const th = linearTaps(g.ih, g.oh, alignCorners);
  const tw = linearTaps(g.iw, g.ow, alignCorners);
  const plane = g.id * g.ih * g.iw;
  const idx = new Array<number>(8);
  const wts = new Array<number>(8);
  for (let p = 0; p < g.planes; p++) {
    for (let od = 0; od < g.od; od++) {
      const [d0, d1, ld] = td[od]!;
      for (let oh = 0; oh < g.oh; oh++) {
        const [h0, h1, lh] = th[oh]!;
        for (let ow = 0; ow < g.ow; ow++) {
          const [w0, w1, lw] = tw[ow]!;
          let c = 0;
          for (const [d, wd] of [[d0, 1 - ld], [d1, ld]] as const) {
            for (const [h, wh] of [[h0, 1 - lh], [h1, lh]] as const) {
              for (const [w, ww] of [[w0, 1 - lw], [w1, lw]] as const) {
                idx[c] = p * plane + (d * g.ih + h) * g.iw + w;
                wts[c] = wd * wh * ww;
                c++;
              }
            }
          }
          fn(((p * g.od + od) * g.oh + oh) * g.ow + ow, idx, wts);
        }
      }
    }
  }
}

export function upsampleTrilinearForward(x: F32, y: F32, g: Resample3dGeometry, alignCorners: boolean): void {
  forEachTrilinear(g, alignCorners, (o, idx, wts) => {
    let s = 0;
    for (let c = 0; c < 8; c++) s += wts[c]! * x[idx[c]!]!;
    y[o] = s;
  });
}

export function upsampleTrilinearBackward(dy: F32, dx: F32, g: Resample3dGeometry, alignCorners: boolean): void {
  dx.fill(0);
  forEachTrilinear(g, alignCorners, (o, idx, wts) => {
    const d = dy[o]!;
    for (let c = 0; c < 8; c++) dx[idx[c]!]! += wts[c]! * d;
  });
}
