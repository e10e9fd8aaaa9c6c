/**
 * Helpers for tests of ops and models: closeness with a stated tolerance, and central finite
 * differences accumulated in float64.
 */
import { noGrad } from './grad-mode.js';
import { shapeToString } from './shape.js';
import { Tensor } from './tensor.js';

export interface Tolerance {
  /** Relative tolerance, against max(|expected|, 1e-30). */
  rtol: number;
  /** Absolute tolerance, for values near zero. */
  atol: number;
}

/** Largest violation of |a - e| <= atol + rtol*|e| over all elements; 0 when all are within. */
export function closeness(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tolerance): { ok: boolean; worst: number; at: number; a: number; e: number } {
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const same = a === e || (Number.isNaN(a) && Number.isNaN(e));
    const excess = same ? 0 : Math.abs(a - e) - (tol.atol + tol.rtol * Math.abs(e));
    if (!(excess <= 0) && (at < 0 || excess > worst || Number.isNaN(excess))) {
      worst = Number.isNaN(excess) ? Infinity : excess;
      at = i;
    }
  }
  return { ok: at < 0 && actual.length === expected.length, worst, at, a: at >= 0 ? actual[at]! : NaN, e: at >= 0 ? expected[at]! : NaN };
}

/** Throws with the worst element when `actual` is not within `tol` of `expected`. */
export function expectClose(actual: Tensor | ArrayLike<number>, expected: Tensor | ArrayLike<number>, tol: Partial<Tolerance> = {}, label = 'values'): void {
  const a = actual instanceof Tensor ? actual.data : actual;
  const e = expected instanceof Tensor ? expected.data : expected;
  if (actual instanceof Tensor && expected instanceof Tensor && shapeToString(actual.shape) !== shapeToString(expected.shape)) {
    throw new Error(`${label}: shape ${shapeToString(actual.shape)} differs from expected ${shapeToString(expected.shape)}`);
  }
  if (a.length !== e.length) throw new Error(`${label}: ${a.length} values, expected ${e.length}`);
  const r = closeness(a, e, { rtol: tol.rtol ?? 1e-5, atol: tol.atol ?? 1e-6 });
  if (!r.ok) throw new Error(`${label}: element ${r.at} is ${r.a}, expected ${r.e} (rtol ${tol.rtol ?? 1e-5}, atol ${tol.atol ?? 1e-6})`);
}

/**
 * d f / d input by central differences: for each element, (f(x + h) - f(x - h)) / 2h with f's
 * output reduced to a float64 sum weighted by `weights` (a fixed random cotangent), so one scalar
 * function checks the whole Jacobian-vector product.
 */
export function numericGrad(f: () => Tensor, input: Tensor, weights: Float64Array, h = 1e-3): Float64Array {
  const x = input.f32('numericGrad');
  const grad = new Float64Array(x.length);
  const evaluate = (): number => {
    const y = noGrad(f).data;
    let s = 0;
    for (let i = 0; i < y.length; i++) s += weights[i]! * y[i]!;
    return s;
  };
  for (let i = 0; i < x.length; i++) {
    const keep = x[i]!;
    const hi = Math.fround(keep + h);
    const lo = Math.fround(keep - h);
    x[i] = hi;
    const up = evaluate();
    x[i] = lo;
    const down = evaluate();
    x[i] = keep;
    grad[i] = (up - down) / (hi - lo);
  }
  return grad;
}
