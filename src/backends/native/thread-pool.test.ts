/**
 * The native thread pool (native/src/thread-pool.cc) under back-to-back jobs: workers spin between
 * jobs, join a job only while it is open, and the caller waits only for workers inside it. Many
 * calls of mixed sizes (some run on the calling thread alone, some split into tasks) with 3 and 4
 * threads must give the same bits as 1 thread and never hang (the test has a time limit). Skipped,
 * with the reason, when the addon is not built.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nativeAt, nativeLevels, sameBits, seeded } from './conformance-support.js';

const { levels, skip } = nativeLevels();

type Kernels = ReturnType<typeof nativeAt>['backend']['kernels'];

/** One of four kernels on one of five sizes (7 to 300000 floats), chosen by k. */
function call(K: Kernels, inputs: Float32Array[], k: number): Float32Array {
  const a = inputs[k % inputs.length]!;
  switch (k % 4) {
    case 0: {
      const y = new Float32Array(a.length);
      K.unary!('sigmoid', a, y);
      return y;
    }
    case 1: {
      const dx = new Float32Array(a.length);
      K.unaryBackward!('relu', a, a, a, dx);
      return dx;
    }
    case 2: {
      const y = new Float32Array(3);
      K.reduceSum!(a.subarray(0, a.length - (a.length % 3)), y, 3, Math.floor(a.length / 3), 1);
      return y;
    }
    default: {
      const mean = new Float32Array(1);
      const variance = new Float32Array(1);
      K.batchNormStats!(a, mean, variance, { n: 1, c: 1, spatial: a.length });
      return Float32Array.of(mean[0]!, variance[0]!);
    }
  }
}

test('native thread pool: many back-to-back jobs of mixed sizes give the bits of 1 thread', { skip, timeout: 120_000 }, () => {
  const isa = levels[0]!;
  const inputs = [7, 1000, 33000, 70001, 300000].map((n, i) => seeded(n, 1300 + i, -4, 4));
  const cases = 20;
  const K1 = nativeAt(isa, 1).backend.kernels;
  const want = Array.from({ length: cases }, (_, k) => call(K1, inputs, k));
  for (const threads of [3, 4]) {
    const K = nativeAt(isa, threads).backend.kernels;
    for (let i = 0; i < 1500; i++) {
      const k = (i * 7) % cases;
      assert.ok(sameBits(call(K, inputs, k), want[k]!), `${threads} threads, call ${i} (case ${k}) differs from 1 thread`);
    }
  }
  nativeAt(isa, 2);
});
