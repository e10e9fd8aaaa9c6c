import { record } from '../autograd.js';
import { check } from '../errors.js';
import type { Pool3dGeometry, Resample3dGeometry } from '../kernels.js';
import { kernel } from '../kernels.js';
import { shapeToString, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { Triple } from './conv3d.js';
import { triple } from './conv3d.js';

export interface Pool3dOptions {
  /** Defaults to the kernel size, as PyTorch. */
  stride?: Triple;
  padding?: Triple;
}

function poolGeometry(op: string, x: Tensor, kernelSize: Triple, options: Pool3dOptions): Pool3dGeometry {
  check(x.rank === 5, op, () => `input must be N,C,D,H,W, got ${shapeToString(x.shape)}`);
  const [n, c, id, ih, iw] = x.shape as [number, number, number, number, number];
  const [kd, kh, kw] = triple(kernelSize);
  const [sd, sh, sw] = triple(options.stride ?? kernelSize);
  const [pd, ph, pw] = triple(options.padding ?? 0);
  check(pd * 2 <= kd && ph * 2 <= kh && pw * 2 <= kw, op, () => `padding ${[pd, ph, pw]} must be at most half the kernel ${[kd, kh, kw]}`);
  const od = Math.floor((id + 2 * pd - kd) / sd) + 1;
  const oh = Math.floor((ih + 2 * ph - kh) / sh) + 1;
  const ow = Math.floor((iw + 2 * pw - kw) / sw) + 1;
  check(od > 0 && oh > 0 && ow > 0, op, () => `kernel ${[kd, kh, kw]} does not fit input ${shapeToString(x.shape)}`);
  return { planes: n * c, id, ih, iw, kd, kh, kw, sd, sh, sw, pd, ph, pw, od, oh, ow };
}

/** Max pooling as torch.nn.functional.max_pool3d (ceil_mode off); gradient to each window's arg-max. */
export function maxPool3d(x: Tensor, kernelSize: Triple, options: Pool3dOptions = {}): Tensor {
  const g = poolGeometry('maxPool3d', x, kernelSize, options);
  const y = new Float32Array(g.planes * g.od * g.oh * g.ow);
  const arg = new Int32Array(y.length);
  kernel('maxPool3dForward')(x.f32('maxPool3d'), y, arg, g);
  const out = new Tensor(y, [x.shape[0]!, x.shape[1]!, g.od, g.oh, g.ow]);
  const inShape = x.shape;
  return record('maxPool3d', [x], out, (dy) => {
    const dx = new Float32Array(sizeOf(inShape));
    kernel('maxPool3dBackward')(dy.f32(), arg, dx, g);
    return [new Tensor(dx, inShape)];
  });
}

/** Average pooling as torch.nn.functional.avg_pool3d (count_include_pad on, ceil_mode off). */
export function avgPool3d(x: Tensor, kernelSize: Triple, options: Pool3dOptions = {}): Tensor {
  const g = poolGeometry('avgPool3d', x, kernelSize, options);
  const y = new Float32Array(g.planes * g.od * g.oh * g.ow);
  kernel('avgPool3dForward')(x.f32('avgPool3d'), y, g);
  const out = new Tensor(y, [x.shape[0]!, x.shape[1]!, g.od, g.oh, g.ow]);
  const inShape = x.shape;
  return record('avgPool3d', [x], out, (dy) => {
    const dx = new Float32Array(sizeOf(inShape));
    kernel('avgPool3dBackward')(dy.f32(), dx, g);
    return [new Tensor(dx, inShape)];
  });
}

function resampleGeometry(op: string, x: Tensor, size: Triple): Resample3dGeometry {
  check(x.rank === 5, op, () => `input must be N,C,D,H,W, got ${shapeToString(x.shape)}`);
  const [od, oh, ow] = triple(size);
  check([od, oh, ow].every((s) => Number.isInteger(s) && s >= 1), op, () => `output size ${[od, oh, ow]} must be positive integers`);
  const [n, c, id, ih, iw] = x.shape as [number, number, number, number, number];
  return { planes: n * c, id, ih, iw, od, oh, ow };
}

/** Adaptive average pooling to `size`, as torch.nn.functional.adaptive_avg_pool3d. */
export function adaptiveAvgPool3d(x: Tensor, size: Triple): Tensor {
  const g = resampleGeometry('adaptiveAvgPool3d', x, size);
  const y = new Float32Array(g.planes * g.od * g.oh * g.ow);
  kernel('adaptiveAvgPool3dForward')(x.f32('adaptiveAvgPool3d'), y, g);
  const out = new Tensor(y, [x.shape[0]!, x.shape[1]!, g.od, g.oh, g.ow]);
  const inShape = x.shape;
  return record('adaptiveAvgPool3d', [x], out, (dy) => {
    const dx = new Float32Array(sizeOf(inShape));
    kernel('adaptiveAvgPool3dBackward')(dy.f32(), dx, g);
    return [new Tensor(dx, inShape)];
  });
}

/** Trilinear interpolation to `size`, as torch.nn.functional.interpolate(mode='trilinear'). */
export function upsampleTrilinear(x: Tensor, size: Triple, alignCorners: boolean): Tensor {
  const g = resampleGeometry('upsampleTrilinear', x, size);
  const y = new Float32Array(g.planes * g.od * g.oh * g.ow);
  kernel('upsampleTrilinearForward')(x.f32('upsampleTrilinear'), y, g, alignCorners);
  const out = new Tensor(y, [x.shape[0]!, x.shape[1]!, g.od, g.oh, g.ow]);
  const inShape = x.shape;
  return record('upsampleTrilinear', [x], out, (dy) => {
    const dx = new Float32Array(sizeOf(inShape));
    kernel('upsampleTrilinearBackward')(dy.f32(), dx, g, alignCorners);
    return [new Tensor(dx, inShape)];
  });
}
