/**
 * Conformance of the native batch norm, element-wise, reduction, pooling and Adam kernels with the
 * reference backend at every instruction-set level this CPU offers, including NaN and broadcast
 * edge cases. Tolerances: batch-norm sums and reductions are float64 in both backends, so 1e-5
 * relative (plus 1e-6 * max|reference| absolute) covers float32 rounding of the products;
 * transcendental element-wise ops and derivatives run in float64 in both and round once, but libm
 * and V8's Math may differ in the last double bit: 2e-6 relative; binary ops, max/arg-max and
 * pooling indices must match exactly;
 * Adam runs in float64 in both, so values agree within 1e-6 relative.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../reference/index.js';
import type { BinaryOp, UnaryOp } from '../../tensor/kernels.js';
import { referenceKernel } from '../../tensor/kernels.js';
import { assertClose, maxAbs, nativeAt, nativeLevels, poolGeometry, sameBits, seeded } from './conformance-support.js';

const { levels, skip } = nativeLevels();
const backends = () => levels.map((isa) => ({ isa, K: nativeAt(isa, 2).backend.kernels }));

test('native batch norm statistics, apply and backward (training and eval) match the reference', { skip }, () => {
  const shapes: Array<[number, number, number]> = [[2, 5, 37], [8, 4, 4096], [1, 64, 128], [3, 1, 1]];
  for (const { isa, K } of backends()) {
    shapes.forEach(([n, c, spatial], i) => {
      const g = { n, c, spatial };
      const x = seeded(n * c * spatial, 10 + i, -3, 5);
      const dy = seeded(x.length, 20 + i);
      const gamma = seeded(c, 30 + i, 0.5, 1.5);
      const beta = seeded(c, 40 + i);
      const label = `${isa} bn ${JSON.stringify(g)}`;
      const [mean, variance, meanRef, varRef] = [0, 0, 0, 0].map(() => new Float32Array(c));
      K.batchNormStats!(x, mean!, variance!, g);
      referenceKernel('batchNormStats')(x, meanRef!, varRef!, g);
      assertClose(mean!, meanRef!, 1e-5, 1e-6 * maxAbs(x), `${label} mean`);
      assertClose(variance!, varRef!, 1e-5, 1e-6, `${label} variance`);
      const invstd = varRef!.map((v) => 1 / Math.sqrt(v + 1e-5));
      for (const [gm, bt] of [[gamma, beta], [null, null]] as const) {
        const y = new Float32Array(x.length);
        const yRef = new Float32Array(x.length);
        K.batchNormApply!(x, meanRef!, invstd, gm, bt, y, g);
        referenceKernel('batchNormApply')(x, meanRef!, invstd, gm, bt, yRef, g);
        assertClose(y, yRef, 1e-5, 1e-6 * maxAbs(yRef), `${label} apply affine=${gm !== null}`);
        for (const training of [true, false]) {
          const [dx, dxRef] = [new Float32Array(x.length), new Float32Array(x.length)];
          const [dg, db, dgRef, dbRef] = [0, 0, 0, 0].map(() => new Float32Array(c));
          K.batchNormBackward!(x, dy, meanRef!, invstd, gm, dx, dg!, db!, g, training);
          referenceKernel('batchNormBackward')(x, dy, meanRef!, invstd, gm, dxRef, dgRef!, dbRef!, g, training);
          const where = `${label} backward training=${training} affine=${gm !== null}`;
          assertClose(dx, dxRef, 1e-4, 1e-5 * maxAbs(dxRef), `${where} dx`);
          assertClose(dg!, dgRef!, 1e-5, 1e-6 * maxAbs(dgRef!), `${where} dgamma`);
          assertClose(db!, dbRef!, 1e-5, 1e-6 * maxAbs(dbRef!), `${where} dbeta`);
          const dxOnly = new Float32Array(x.length);
          K.batchNormBackward!(x, dy, meanRef!, invstd, gm, dxOnly, null, null, g, training);
          assert.ok(sameBits(dxOnly, dx), `${where}: dx must not depend on the optional outputs`);
        }
      }
    });
  }
});

const UNARY: UnaryOp[] = ['neg', 'exp', 'log', 'sqrt', 'abs', 'relu', 'sigmoid', 'tanh'];
const BINARY: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'max', 'min'];

test('native unary and unaryBackward match the reference, NaN and signed zero included', { skip }, () => {
  const x = seeded(70001, 5, -6, 6);
  x.set([NaN, 0, -0, -1e-30, 1e-30, 88, -88, Infinity, -Infinity], 0);
  const pos = x.map((v) => Math.abs(v) + 1e-3);
  const dy = seeded(x.length, 6);
  for (const { isa, K } of backends()) {
    for (const op of UNARY) {
      const input = op === 'log' || op === 'sqrt' ? pos : x;
      const [y, yRef, dx, dxRef] = [0, 0, 0, 0].map(() => new Float32Array(x.length));
      K.unary!(op, input, y!);
      referenceKernel('unary')(op, input, yRef!);
      assertClose(y!, yRef!, 2e-6, 1e-30, `${isa} unary ${op}`);
      K.unaryBackward!(op, input, yRef!, dy, dx!);
      referenceKernel('unaryBackward')(op, input, yRef!, dy, dxRef!);
      assertClose(dx!, dxRef!, 2e-6, 1e-30, `${isa} unaryBackward ${op}`);
    }
  }
});

test('native sigmoid (a float64 polynomial exp, vectorised) equals the reference rounded once, bit for bit', { skip }, () => {
  // Dense over [-120, 120] (past the 110 cut-off where exp stops mattering), small magnitudes, the
  // cut-off itself and special values; float results must not differ in any bit (NaN as NaN).
  const x = seeded(300007, 9, -120, 120);
  const small = seeded(20000, 10, -1e-3, 1e-3);
  x.set(small, 0);
  x.set([NaN, 0, -0, 110, -110, 109.99999, -110.00001, 1e-45, -1e-45, 88.7, -88.7, 103.5, -103.5, Infinity, -Infinity], 20000);
  const want = new Float32Array(x.length);
  referenceKernel('unary')('sigmoid', x, want);
  for (const { isa, K } of backends()) {
    const got = new Float32Array(x.length);
    K.unary!('sigmoid', x, got);
    assertClose(got, want, 0, 0, `${isa} sigmoid`);
  }
});

test('native binary broadcasts like the reference over every stride pattern', { skip }, () => {
  // [outShape, aShape, bShape]: same shape, per-channel scale (N,C,1,1,1), scalar, row and column
  // broadcasts, a rank-0 case, and ones large enough to split into several tasks.
  const cases: Array<[number[], number[], number[]]> = [
    [[2, 3, 4, 5, 6], [2, 3, 4, 5, 6], [2, 3, 4, 5, 6]],
    [[2, 3, 4, 5, 6], [2, 3, 4, 5, 6], [2, 3, 1, 1, 1]],
    [[2, 3, 4, 5, 6], [1, 1, 1, 1, 1], [2, 3, 4, 5, 6]],
    [[7, 9], [7, 1], [1, 9]],
    [[], [], []],
    [[4, 64, 8, 32, 32], [4, 64, 8, 32, 32], [1, 64, 1, 1, 1]],
    // Axes merged into rows longer than one 32768-float chunk (split into pieces): same shape, a
    // per-(n, c) scale and a map shared by the channels, as ResCBAM's products.
    [[2, 3, 5, 70, 100], [2, 3, 5, 70, 100], [2, 3, 5, 70, 100]],
    [[2, 3, 5, 70, 100], [2, 3, 1, 1, 1], [2, 3, 5, 70, 100]],
    [[2, 3, 5, 70, 100], [2, 1, 5, 70, 100], [2, 3, 5, 70, 100]],
    [[3, 1, 40000], [3, 1, 40000], [1, 1, 1]],
  ];
  const stridesOf = (shape: number[], out: number[]): number[] => {
    const s = new Array<number>(out.length).fill(0);
    let acc = 1;
    for (let d = out.length - 1; d >= 0; d--) {
      s[d] = shape[d] === 1 && out[d] !== 1 ? 0 : acc;
      acc *= shape[d]!;
    }
    return s;
  };
  for (const { isa, K } of backends()) {
    cases.forEach(([out, aShape, bShape], i) => {
      const size = (s: number[]) => s.reduce((p, v) => p * v, 1);
      const a = seeded(size(aShape), 50 + i, -2, 2);
      const b = seeded(size(bShape), 60 + i, -2, 2);
      if (a.length > 3) a[3] = NaN;
      for (const op of BINARY) {
        const [y, yRef] = [new Float32Array(size(out)), new Float32Array(size(out))];
        const as = stridesOf(aShape, out);
        const bs = stridesOf(bShape, out);
        K.binary!(op, a, as, b, bs, y, out);
        referenceKernel('binary')(op, a, as, b, bs, yRef, out);
        assert.ok(sameBits(y, yRef), `${isa} binary ${op} case ${i}: float32 arithmetic must match exactly`);
      }
    });
  }
});

test('native axpby, reduceSum and reduceMax match the reference', { skip }, () => {
  for (const { isa, K } of backends()) {
    const x = seeded(100003, 70);
    for (const [alpha, beta] of [[0.5, 1], [-2, 0.25], [1, 0]]) {
      const y = seeded(x.length, 71);
      const yRef = y.slice();
      K.axpby!(alpha!, x, beta!, y);
      referenceKernel('axpby')(alpha!, x, beta!, yRef);
      assertClose(y, yRef, 1e-6, 1e-7, `${isa} axpby ${alpha} ${beta}`);
    }
    for (const [outer, r, inner] of [[4, 64, 8192], [8, 3, 1], [1, 1000, 5], [2, 1, 7]] as const) {
      const v = seeded(outer * r * inner, 72 + r);
      v[5] = NaN;
      const [s, sRef, m, mRef] = [0, 0, 0, 0].map(() => new Float32Array(outer * inner));
      const [arg, argRef] = [new Int32Array(outer * inner), new Int32Array(outer * inner)];
      K.reduceSum!(v, s!, outer, r, inner);
      referenceKernel('reduceSum')(v, sRef!, outer, r, inner);
      assertClose(s!, sRef!, 1e-6, 1e-6, `${isa} reduceSum ${outer}x${r}x${inner}`);
      K.reduceMax!(v, m!, arg, outer, r, inner);
      referenceKernel('reduceMax')(v, mRef!, argRef, outer, r, inner);
      assert.ok(sameBits(m!, mRef!) && sameBits(arg, argRef), `${isa} reduceMax ${outer}x${r}x${inner}: values and first arg-max must match exactly`);
    }
  }
});

test('native max and average pooling, forward and backward, match the reference', { skip }, () => {
  const cases = [
    poolGeometry(6, [8, 9, 10], [2, 2, 2], [2, 2, 2], [0, 0, 0]),
    poolGeometry(3, [5, 7, 9], [3, 3, 3], [2, 2, 2], [1, 1, 1]),
    poolGeometry(2, [4, 6, 6], [1, 3, 3], [1, 1, 1], [0, 1, 1]),
  ];
  for (const { isa, K } of backends()) {
    cases.forEach((g, i) => {
      const x = seeded(g.planes * g.id * g.ih * g.iw, 80 + i);
      x[7] = NaN;
      const outSize = g.planes * g.od * g.oh * g.ow;
      const dy = seeded(outSize, 90 + i);
      const [y, yRef] = [new Float32Array(outSize), new Float32Array(outSize)];
      const [arg, argRef] = [new Int32Array(outSize), new Int32Array(outSize)];
      K.maxPool3dForward!(x, y, arg, g);
      referenceKernel('maxPool3dForward')(x, yRef, argRef, g);
      assert.ok(sameBits(y, yRef) && sameBits(arg, argRef), `${isa} maxPool3dForward case ${i}`);
      const [dx, dxRef] = [new Float32Array(x.length), new Float32Array(x.length)];
      K.maxPool3dBackward!(dy, argRef, dx, g);
      referenceKernel('maxPool3dBackward')(dy, argRef, dxRef, g);
      assertClose(dx, dxRef, 1e-6, 1e-7, `${isa} maxPool3dBackward case ${i}`);
      const x2 = seeded(x.length, 95 + i);
      K.avgPool3dForward!(x2, y, g);
      referenceKernel('avgPool3dForward')(x2, yRef, g);
      assertClose(y, yRef, 1e-6, 1e-7, `${isa} avgPool3dForward case ${i}`);
      K.avgPool3dBackward!(dy, dx, g);
      referenceKernel('avgPool3dBackward')(dy, dxRef, g);
      assertClose(dx, dxRef, 1e-5, 1e-7, `${isa} avgPool3dBackward case ${i}`);
    });
  }
});

test('native adamStep matches the reference for Adam and AdamW over several steps', { skip }, () => {
  for (const { isa, K } of backends()) {
    for (const [decoupled, wd] of [[false, 0], [false, 0.01], [true, 0.05]] as const) {
      const p = seeded(50001, 100);
      const m = new Float32Array(p.length);
      const v = new Float32Array(p.length);
      const [pr, mr, vr] = [p.slice(), m.slice(), v.slice()];
      for (let step = 1; step <= 3; step++) {
        const grad = seeded(p.length, 100 + step);
        K.adamStep!(p, grad, m, v, 1e-3, 0.9, 0.999, 1e-8, wd, step, decoupled);
        referenceKernel('adamStep')(pr, grad, mr, vr, 1e-3, 0.9, 0.999, 1e-8, wd, step, decoupled);
      }
      const label = `${isa} adam decoupled=${decoupled} wd=${wd}`;
      assertClose(p, pr, 1e-6, 1e-7, `${label} params`);
      assertClose(m, mr, 1e-6, 1e-9, `${label} m`);
      assertClose(v, vr, 1e-6, 1e-12, `${label} v`);
    }
  }
});

test('native adaptive average pooling and trilinear interpolation match the reference', { skip }, () => {
  // CSF-Net's temporal fusion: trilinear x2 with align_corners, then adaptive pooling back; plus
  // uneven bins, shrinking, and align_corners off.
  const cases = [
    { planes: 6, id: 2, ih: 8, iw: 8, od: 4, oh: 16, ow: 16 },
    { planes: 3, id: 5, ih: 7, iw: 3, od: 3, oh: 4, ow: 6 },
    { planes: 2, id: 1, ih: 9, iw: 10, od: 2, oh: 4, ow: 3 },
  ];
  for (const { isa, K } of backends()) {
    cases.forEach((g, i) => {
      const inSize = g.planes * g.id * g.ih * g.iw;
      const outSize = g.planes * g.od * g.oh * g.ow;
      const x = seeded(inSize, 110 + i);
      const dy = seeded(outSize, 120 + i);
      for (const align of [true, false]) {
        const [y, yRef] = [new Float32Array(outSize), new Float32Array(outSize)];
        K.upsampleTrilinearForward!(x, y, g, align);
        referenceKernel('upsampleTrilinearForward')(x, yRef, g, align);
        assertClose(y, yRef, 1e-6, 1e-7, `${isa} trilinear forward case ${i} align=${align}`);
        const [dx, dxRef] = [new Float32Array(inSize), new Float32Array(inSize)];
        K.upsampleTrilinearBackward!(dy, dx, g, align);
        referenceKernel('upsampleTrilinearBackward')(dy, dxRef, g, align);
        assertClose(dx, dxRef, 1e-6, 1e-7, `${isa} trilinear backward case ${i} align=${align}`);
      }
      const [y, yRef] = [new Float32Array(outSize), new Float32Array(outSize)];
      K.adaptiveAvgPool3dForward!(x, y, g);
      referenceKernel('adaptiveAvgPool3dForward')(x, yRef, g);
      assertClose(y, yRef, 1e-6, 1e-7, `${isa} adaptive pool forward case ${i}`);
      const [dx, dxRef] = [new Float32Array(inSize), new Float32Array(inSize)];
      K.adaptiveAvgPool3dBackward!(dy, dx, g);
      referenceKernel('adaptiveAvgPool3dBackward')(dy, dxRef, g);
      assertClose(dx, dxRef, 1e-6, 1e-7, `${isa} adaptive pool backward case ${i}`);
    });
  }
});
