import { record } from '../autograd.js';
import { check } from '../errors.js';
import { isGradEnabled } from '../grad-mode.js';
import type { Conv3dGeometry } from '../kernels.js';
import { kernel } from '../kernels.js';
import { shapeToString } from '../shape.js';
import { Tensor } from '../tensor.js';
import { conv3dGrad } from './conv3d.grad.js';

export type Triple = number | readonly [number, number, number];

export interface Conv3dOptions {
  stride?: Triple;
  padding?: Triple;
  /** Apply max(0, .) to the output inside the kernel (inference fast path; no gradient allowed). */
  fuseRelu?: boolean;
}

export function triple(v: Triple): [number, number, number] {
  return typeof v === 'number' ? [v, v, v] : [v[0], v[1], v[2]];
}

/** Geometry of a convolution of x (N, Cin, D, H, W) with w (Cout, Cin, kD, kH, kW). */
export function conv3dGeometry(op: string, xShape: readonly number[], wShape: readonly number[], stride: Triple, padding: Triple): Conv3dGeometry {
  check(xShape.length === 5, op, () => `input must be N,C,D,H,W, got ${shapeToString(xShape)}`);
  check(wShape.length === 5, op, () => `weight must be Cout,Cin,kD,kH,kW, got ${shapeToString(wShape)}`);
  const [n, cin, id, ih, iw] = xShape as [number, number, number, number, number];
  const [cout, wcin, kd, kh, kw] = wShape as [number, number, number, number, number];
  check(cin === wcin, op, () => `input has ${cin} channels but weight ${shapeToString(wShape)} expects ${wcin}`);
  const [sd, sh, sw] = triple(stride);
  const [pd, ph, pw] = triple(padding);
  check([sd, sh, sw].every((s) => Number.isInteger(s) && s >= 1) && [pd, ph, pw].every((p) => Number.isInteger(p) && p >= 0), op, () => `stride ${[sd, sh, sw]} and padding ${[pd, ph, pw]} must be integers >= 1 and >= 0`);
  const od = Math.floor((id + 2 * pd - kd) / sd) + 1;
  const oh = Math.floor((ih + 2 * ph - kh) / sh) + 1;
  const ow = Math.floor((iw + 2 * pw - kw) / sw) + 1;
  check(od > 0 && oh > 0 && ow > 0, op, () => `kernel ${kd}x${kh}x${kw} does not fit input ${shapeToString(xShape)} with padding ${[pd, ph, pw]}`);
  return { n, cin, cout, id, ih, iw, kd, kh, kw, sd, sh, sw, pd, ph, pw, od, oh, ow };
}

/**
 * 3-D convolution as torch.nn.functional.conv3d (dilation 1, groups 1): x (N, Cin, D, H, W),
 * w (Cout, Cin, kD, kH, kW), optional bias (Cout) -> (N, Cout, D', H', W').
 */
export function conv3d(x: Tensor, w: Tensor, bias: Tensor | null = null, options: Conv3dOptions = {}): Tensor {
  const g = conv3dGeometry('conv3d', x.shape, w.shape, options.stride ?? 1, options.padding ?? 0);
  check(bias === null || (bias.rank === 1 && bias.shape[0] === g.cout), 'conv3d', () => `bias ${bias ? shapeToString(bias.shape) : ''} does not fit ${g.cout} output channels`);
  const y = new Float32Array(g.n * g.cout * g.od * g.oh * g.ow);
  const fuse = options.fuseRelu ?? false;
  kernel('conv3dForward')(x.f32('conv3d'), w.f32('conv3d'), bias ? bias.f32('conv3d') : null, y, g, fuse);
  const out = new Tensor(y, [g.n, g.cout, g.od, g.oh, g.ow]);
  if (fuse) {
    check(!isGradEnabled() || ![x, w, bias].some((t) => t?.requiresGrad), 'conv3d', () => 'fuseRelu is for inference only (run under noGrad)');
    return out;
  }
  return record('conv3d', [x, w, bias], out, (dy) => conv3dGrad(dy, x, w, bias, g));
}
