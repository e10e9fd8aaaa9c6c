/**
 * The conformance suite every backend runs: forward results against hand-computed values and
 * against the reference backend, gradients against central finite differences (float64 sums) and
 * against the reference backend's gradients, NaN propagation and shape errors. A backend may skip a
 * case only through `exclude`, each entry with its reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as T from '../tensor/index.js';
import type { Backend } from '../tensor/index.js';
import { setBackend, ShapeError, Tensor } from '../tensor/index.js';
import { closeness, numericGrad } from '../tensor/testing.js';
import { Rng } from '../util/random.js';
import { forwardCases, gradCases, shapeErrorCases } from './conformance-cases.js';
import { referenceBackend } from './reference/index.js';

export interface ConformanceOptions {
  /** Case name -> why this backend skips it. */
  exclude?: Readonly<Record<string, string>>;
  /** Tolerance against the reference backend (differences in summation order). */
  rtol?: number;
  atol?: number;
}

function withBackend<R>(backend: Backend, fn: () => R): R {
  setBackend(backend);
  try {
    return fn();
  } finally {
    setBackend(referenceBackend);
  }
}

function assertClose(label: string, actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number): void {
  assert.equal(actual.length, expected.length, `${label}: ${actual.length} values, expected ${expected.length}`);
  const r = closeness(actual, expected, { rtol, atol });
  assert.ok(r.ok, `${label}: element ${r.at} is ${r.a}, expected ${r.e} (rtol ${rtol}, atol ${atol})`);
}

/** Analytical gradients of sum(run(inputs) * cotangent) for every input. */
function analyticGrads(c: (typeof gradCases)[number], seed: number): { inputs: Tensor[]; grads: Float32Array[]; cot: Float64Array } {
  const rng = new Rng(seed);
  const inputs = c.inputs(rng).map((x) => new Tensor(x.f32(), x.shape, true));
  const out = c.run(...inputs);
  const cot = Float64Array.from({ length: out.size }, () => rng.normal());
  T.sum(T.mul(out, Tensor.from(cot, out.shape))).backward();
  return { inputs, grads: inputs.map((x) => x.grad?.f32() ?? new Float32Array(x.size)), cot };
}

export function conformanceSuite(backend: Backend, options: ConformanceOptions = {}): void {
  const skip = (name: string): string | undefined => options.exclude?.[name];
  const rtol = options.rtol ?? 1e-5;
  const atol = options.atol ?? 1e-6;

  for (const c of forwardCases) {
    test(`[${backend.name}] forward: ${c.name}`, { skip: skip(c.name) }, () => {
      const out = withBackend(backend, c.run);
      assert.deepEqual([...out.shape], [...c.shape], `${c.name}: shape`);
      assertClose(`${c.name} vs hand-computed`, out.f32(), c.expected, 1e-5, 1e-6);
      const ref = c.run();
      assertClose(`${c.name} vs reference`, out.f32(), ref.f32(), rtol, atol);
    });
  }

  for (const c of gradCases) {
    test(`[${backend.name}] gradient: ${c.name}`, { skip: skip(c.name) }, () => {
      const got = withBackend(backend, () => analyticGrads(c, 11));
      got.inputs.forEach((x, k) => {
        const numeric = withBackend(backend, () => numericGrad(() => c.run(...got.inputs), x, got.cot, c.h ?? 1e-2));
        assertClose(`${c.name}: input ${k} vs finite differences`, got.grads[k]!, numeric, c.rtol ?? 1e-2, c.atol ?? 2e-3);
      });
      if (backend !== referenceBackend) {
        const ref = analyticGrads(c, 11);
        ref.grads.forEach((g, k) => assertClose(`${c.name}: input ${k} vs reference`, got.grads[k]!, g, rtol * 10, atol * 10));
      }
    });
  }

  test(`[${backend.name}] shape errors name the op`, () => {
    withBackend(backend, () => {
      for (const c of shapeErrorCases) {
        assert.throws(c.run, (err: unknown) => err instanceof ShapeError && err.message.startsWith(`${c.op}:`), `${c.op} should throw a ShapeError naming it`);
      }
    });
  });

  test(`[${backend.name}] NaN in a convolution input reaches every output it touches`, () => {
    const x = Tensor.zeros([1, 1, 1, 3, 3]);
    x.f32()[4] = NaN;
    const y = withBackend(backend, () => T.conv3d(x, Tensor.ones([1, 1, 1, 3, 3]), null, { padding: [0, 1, 1] }));
    assert.ok(Array.from(y.f32()).every((v) => Number.isNaN(v)), `every 3x3 window touches the centre: ${Array.from(y.f32())}`);
  });
}
