import { record } from '../autograd.js';
import { check } from '../errors.js';
import { normalizeAxis, shapeToString, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';

/** Joins tensors along `axis`; every other axis must match. */
export function concat(xs: readonly Tensor[], axis: number): Tensor {
  check(xs.length > 0, 'concat', () => 'no tensors to join');
  const first = xs[0]!;
  const a = normalizeAxis('concat', axis, first.rank);
  for (const x of xs) {
    check(x.rank === first.rank && x.shape.every((d, i) => i === a || d === first.shape[i]), 'concat', () => `shapes ${xs.map((t) => shapeToString(t.shape)).join(', ')} differ outside axis ${a}`);
  }
  const outer = sizeOf(first.shape.slice(0, a));
  const inner = sizeOf(first.shape.slice(a + 1));
  const widths = xs.map((x) => x.shape[a]! * inner);
  const total = widths.reduce((s, w) => s + w, 0);
  const y = new Float32Array(outer * total);
  let offset = 0;
  xs.forEach((x, k) => {
    const src = x.f32('concat');
    const w = widths[k]!;
    for (let o = 0; o < outer; o++) y.set(src.subarray(o * w, (o + 1) * w), o * total + offset);
    offset += w;
  });
  const shape = first.shape.map((d, i) => (i === a ? total / inner : d));
  const out = new Tensor(y, shape);
  // The gradient needs each input's shape and whether it wants one, not its values.
  const parts = xs.map((x) => ({ shape: x.shape, wanted: x.requiresGrad }));
  return record('concat', xs, out, (dy) => {
    const g = dy.f32('concat');
    let start = 0;
    return parts.map((x, k) => {
      const w = widths[k]!;
      const from = start;
      start += w;
      if (!x.wanted) return null;
      const part = new Float32Array(outer * w);
      for (let o = 0; o < outer; o++) part.set(g.subarray(o * total + from, o * total + from + w), o * w);
      return new Tensor(part, x.shape);
    });
  });
}

/** The part of x from `start` (inclusive) to `end` (exclusive) along `axis`, copied. */
export function slice(x: Tensor, axis: number, start: number, end: number): Tensor {
  const a = normalizeAxis('slice', axis, x.rank);
  const n = x.shape[a]!;
  check(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= n, 'slice', () => `range [${start}, ${end}) outside axis ${a} of ${shapeToString(x.shape)}`);
  const outer = sizeOf(x.shape.slice(0, a));
  const inner = sizeOf(x.shape.slice(a + 1));
  const w = (end - start) * inner;
  const src = x.f32('slice');
  const y = new Float32Array(outer * w);
  for (let o = 0; o < outer; o++) y.set(src.subarray(o * n * inner + start * inner, o * n * inner + start * inner + w), o * w);
  const out = new Tensor(y, x.shape.map((d, i) => (i === a ? end - start : d)));
  const inShape = x.shape;
  const size = x.size;
  return record('slice', [x], out, (dy) => {
    const g = dy.f32('slice');
    const dx = new Float32Array(size);
    for (let o = 0; o < outer; o++) dx.set(g.subarray(o * w, (o + 1) * w), o * n * inner + start * inner);
    return [new Tensor(dx, inShape)];
  });
}
