import type { Conv3dGeometry } from '../kernels.js';
import { kernel } from '../kernels.js';
import { Tensor } from '../tensor.js';

/** Gradients of conv3d: backward-data for x, backward-weight for w (and the bias sum), each only if needed. */
export function conv3dGrad(dy: Tensor, x: Tensor, w: Tensor, bias: Tensor | null, g: Conv3dGeometry): [Tensor | null, Tensor | null, Tensor | null] {
  const gy = dy.f32('conv3d.grad');
  let dx: Tensor | null = null;
  let dw: Tensor | null = null;
  let db: Tensor | null = null;
  if (x.requiresGrad) {
    const v = new Float32Array(x.size);
    kernel('conv3dBackwardData')(gy, w.f32(), v, g);
    dx = new Tensor(v, x.shape);
  }
  const needBias = bias !== null && bias.requiresGrad;
  if (w.requiresGrad || needBias) {
    const vw = new Float32Array(w.size);
    const vb = needBias ? new Float32Array(g.cout) : null;
    kernel('conv3dBackwardWeight')(x.f32(), gy, vw, vb, g);
    if (w.requiresGrad) dw = new Tensor(vw, w.shape);
    if (vb) db = new Tensor(vb, [g.cout]);
  }
  return [dx, dw, db];
}
