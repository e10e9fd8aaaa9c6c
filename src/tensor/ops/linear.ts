import { record } from '../autograd.js';
import { check } from '../errors.js';
import { kernel } from '../kernels.js';
import { shapeToString } from '../shape.js';
import { Tensor } from '../tensor.js';

/**
 * y = x @ w^T + b over the last axis of x, as torch.nn.functional.linear: x (..., in), w (out, in),
 * b (out) or null; y (..., out).
 */
export function linear(x: Tensor, w: Tensor, b: Tensor | null = null): Tensor {
  check(w.rank === 2 && x.rank >= 1 && x.shape[x.rank - 1] === w.shape[1], 'linear', () => `input ${shapeToString(x.shape)} does not fit weight ${shapeToString(w.shape)}`);
  const [outF, inF] = w.shape as [number, number];
  check(b === null || (b.rank === 1 && b.shape[0] === outF), 'linear', () => `bias ${b ? shapeToString(b.shape) : ''} does not fit ${outF} outputs`);
  const rows = x.size / inF;
  const y = new Float32Array(rows * outF);
  kernel('matmul')(x.f32('linear'), w.f32('linear'), y, 1, rows, inF, outF, false, true, 0, 0);
  if (b) {
    const bias = b.f32('linear');
    for (let r = 0; r < rows; r++) for (let j = 0; j < outF; j++) y[r * outF + j]! += bias[j]!;
  }
  const out = new Tensor(y, [...x.shape.slice(0, -1), outF]);
  return record('linear', [x, w, b], out, (dy) => {
    const g = dy.f32('linear.grad');
    const mm = kernel('matmul');
    let dx: Tensor | null = null;
    let dw: Tensor | null = null;
    let db: Tensor | null = null;
    if (x.requiresGrad) {
      const v = new Float32Array(x.size);
      mm(g, w.f32(), v, 1, rows, outF, inF, false, false, 0, 0);
      dx = new Tensor(v, x.shape);
    }
    if (w.requiresGrad) {
      const v = new Float32Array(w.size);
      mm(g, x.f32(), v, 1, outF, rows, inF, true, false, 0, 0);
      dw = new Tensor(v, w.shape);
    }
    if (b && b.requiresGrad) {
      const v = new Float32Array(outF);
      kernel('reduceSum')(g, v, 1, rows, outF);
      db = new Tensor(v, b.shape);
    }
    return [dx, dw, db];
  });
}
