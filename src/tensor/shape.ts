import { ShapeError } from './errors.js';

export type Shape = readonly number[];

/** Number of elements of a shape (1 for a scalar). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major element strides of a contiguous tensor. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

export function shapeToString(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** NumPy/PyTorch broadcast of two shapes, or a ShapeError naming the op. */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(`${op}: shapes ${shapeToString(a)} and ${shapeToString(b)} do not broadcast (axis ${i}: ${da} vs ${db})`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides of `shape` read along the axes of `outShape` it broadcasts to (0 on broadcast axes). */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const own = stridesOf(shape);
  const offset = outShape.length - shape.length;
  return outShape.map((_, i) => {
    const j = i - offset;
    return j < 0 || shape[j] === 1 ? 0 : own[j]!;
  });
}

/** Axes as non-negative, sorted, distinct integers below rank; negative axes count from the end. */
export function normalizeAxes(op: string, axes: number | readonly number[] | undefined, rank: number): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axes === 'number' ? [axes] : [...axes];
  const out = list.map((a) => {
    if (!Number.isInteger(a) || a < -rank || a >= rank) throw new ShapeError(`${op}: axis ${a} out of range for rank ${rank}`);
    return a < 0 ? a + rank : a;
  });
  out.sort((x, y) => x - y);
  for (let i = 1; i < out.length; i++) {
    if (out[i] === out[i - 1]) throw new ShapeError(`${op}: axis ${out[i]} given twice`);
  }
  return out;
}

/** The single axis an op works along, made non-negative. */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  return normalizeAxes(op, axis, rank)[0]!;
}
