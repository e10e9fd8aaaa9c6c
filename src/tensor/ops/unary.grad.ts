import type { UnaryOp } from '../kernels.js';
import { kernel } from '../kernels.js';
import { Tensor } from '../tensor.js';

/** dx = dy * op'(x), the derivative taken from the input x and the output y (x may be y itself for ops in FROM_OUTPUT). */
export function unaryGrad(op: UnaryOp, dy: Tensor, x: Tensor, y: Tensor): Tensor {
  const dx = new Float32Array(x.size);
  kernel('unaryBackward')(op, x.f32(op), y.f32(op), dy.f32(op), dx);
  return new Tensor(dx, x.shape);
}
