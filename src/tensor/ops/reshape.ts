import { record } from '../autograd.js';
import { check } from '../errors.js';
import type { Shape } from '../shape.js';
import { normalizeAxis, shapeToString, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';

/**
 * The same values under another shape (a view: storage is shared). One dimension may be -1 and is
 * inferred.
 */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const unknown = shape.filter((d) => d === -1).length;
  check(unknown <= 1, 'reshape', () => `at most one -1 in ${shapeToString(shape)}`);
  const known = sizeOf(shape.filter((d) => d !== -1));
  const resolved = shape.map((d) => (d === -1 ? (known === 0 ? 0 : x.size / known) : d));
  check(sizeOf(resolved) === x.size && resolved.every((d) => Number.isInteger(d) && d >= 0), 'reshape', () => `cannot view ${shapeToString(x.shape)} (${x.size} values) as ${shapeToString(shape)}`);
  const out = new Tensor(x.data, resolved);
  const inShape = x.shape;
  return record('reshape', [x], out, (dy) => [new Tensor(dy.data, inShape)]);
}

/** Inserts an axis of size 1 at `axis`. */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  const a = normalizeAxis('unsqueeze', axis, x.rank + 1);
  return reshape(x, [...x.shape.slice(0, a), 1, ...x.shape.slice(a)]);
}

/** Removes the axis `axis`, which must have size 1. */
export function squeeze(x: Tensor, axis: number): Tensor {
  const a = normalizeAxis('squeeze', axis, x.rank);
  check(x.shape[a] === 1, 'squeeze', () => `axis ${axis} of ${shapeToString(x.shape)} has size ${x.shape[a]}, not 1`);
  return reshape(x, x.shape.filter((_, i) => i !== a));
}

/** Collapses axes from `start` on into one. */
export function flatten(x: Tensor, start = 1): Tensor {
  const s = normalizeAxis('flatten', start, x.rank);
  return reshape(x, [...x.shape.slice(0, s), sizeOf(x.shape.slice(s))]);
}
