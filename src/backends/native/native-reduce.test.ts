/**
 * The native reductions and batch norm on the shapes that take their chunked, vectorised paths
 * (native/src/row-kernels.h, elementwise.cc, batch-norm.cc): rows longer than one 32768-float chunk,
 * many short rows, column sums split into row groups, columns past one 2048/4096 block, batch-norm
 * planes longer than one 8192-float chunk with a ragged last chunk, and the arg-max rules (first
 * maximum across vector lanes and chunks, the first NaN wins, rows of -inf give index 0).
 *
 * Tolerances: sums run in float64 on both sides, so 1e-6 relative (reductions) and 1e-5 relative
 * (batch norm, as native-misc.test.ts) cover the different addition order; arg-max values and
 * indices match exactly. Every instruction-set level adds in the same lanes and order, so the
 * results are bit-identical across levels and across 1 and 2 threads (tested). Skipped, with the
 * reason, when the addon is not built.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../reference/index.js';
import { referenceKernel } from '../../tensor/kernels.js';
import { assertClose, maxAbs, nativeAt, nativeLevels, sameBits, seeded } from './conformance-support.js';

const { levels, skip } = nativeLevels();

/** Runs fn at every level with 2 threads and at the first level with 1; returns the results in that order. */
function everywhere<T>(fn: (K: ReturnType<typeof nativeAt>['backend']['kernels'], label: string) => T): T[] {
  const out = levels.map((isa) => fn(nativeAt(isa, 2).backend.kernels, `${isa}/2`));
  out.push(fn(nativeAt(levels[0]!, 1).backend.kernels, `${levels[0]}/1`));
  nativeAt(levels[0]!, 2);
  return out;
}

const SUM_SHAPES: Array<[number, number, number]> = [
  [3, 100003, 1], // rows of four chunks, the last ragged
  [5000, 7, 1], // many short rows per task
  [16, 65536, 1], // CSF-Net's spatial mean of a stem tensor
  [1, 70001, 3], // few columns, many rows: row groups with partials
  [2, 5, 4099], // columns past one 2048 block, ragged
  [4, 4, 65536], // CSF-Net's channel mean
];

test('native reduceSum matches the reference on chunked row and column shapes, identically everywhere', { skip }, () => {
  SUM_SHAPES.forEach(([outer, r, inner], i) => {
    const x = seeded(outer * r * inner, 1000 + i, -1, 3);
    const want = new Float32Array(outer * inner);
    referenceKernel('reduceSum')(x, want, outer, r, inner);
    const results = everywhere((K, label) => {
      const y = new Float32Array(outer * inner).fill(NaN);
      K.reduceSum!(x, y, outer, r, inner);
      assertClose(y, want, 1e-6, 1e-6 * maxAbs(want), `${label} reduceSum ${outer}x${r}x${inner}`);
      return y;
    });
    results.forEach((y, k) => assert.ok(sameBits(y, results[0]!), `reduceSum ${outer}x${r}x${inner}: result ${k} differs in bits from the first`));
  });
});

test('native reduceMax keeps the first maximum across lanes and chunks, the first NaN, and index 0 for -inf rows', { skip }, () => {
  const cases: Array<{ name: string; outer: number; r: number; inner: number; fill: (x: Float32Array) => void }> = [
    // Values on a coarse grid so that the maximum repeats in many lanes and chunks.
    { name: 'ties across lanes and chunks', outer: 3, r: 100003, inner: 1, fill: (x) => x.forEach((v, i) => (x[i] = Math.round(v * 4))) },
    { name: 'NaN in a later chunk', outer: 2, r: 70000, inner: 1, fill: (x) => ((x[50001] = NaN), (x[70000 + 65000] = NaN), (x[70000 + 65003] = NaN)) },
    { name: 'NaN in the tail', outer: 2, r: 37, inner: 1, fill: (x) => ((x[35] = NaN), (x[37 + 3] = NaN)) },
    { name: 'rows of -inf and +inf', outer: 3, r: 40, inner: 1, fill: (x) => (x.fill(-Infinity, 0, 40), x.fill(-Infinity, 40, 80), (x[77] = Infinity), (x[100] = Infinity), (x[90] = Infinity)) },
    { name: 'short rows', outer: 6, r: 5, inner: 1, fill: (x) => x.forEach((v, i) => (x[i] = Math.round(v))) },
    { name: 'columns with ties and NaN', outer: 2, r: 9, inner: 5000, fill: (x) => (x.forEach((v, i) => (x[i] = Math.round(v * 2))), (x[3 * 5000 + 17] = NaN), (x[7 * 5000 + 17] = NaN), (x[9 * 5000 + 4999] = NaN)) },
    { name: 'CSF-Net channel max', outer: 4, r: 4, inner: 65536, fill: () => {} },
  ];
  cases.forEach((c, i) => {
    const x = seeded(c.outer * c.r * c.inner, 1100 + i, -2, 2);
    c.fill(x);
    const [want, wantArg] = [new Float32Array(c.outer * c.inner), new Int32Array(c.outer * c.inner)];
    referenceKernel('reduceMax')(x, want, wantArg, c.outer, c.r, c.inner);
    everywhere((K, label) => {
      const [y, arg] = [new Float32Array(c.outer * c.inner), new Int32Array(c.outer * c.inner).fill(-1)];
      K.reduceMax!(x, y, arg, c.outer, c.r, c.inner);
      assert.ok(sameBits(y, want), `${label} reduceMax ${c.name}: values differ`);
      const bad = arg.findIndex((a, k) => a !== wantArg[k]);
      assert.equal(bad, -1, `${label} reduceMax ${c.name}: arg ${bad} is ${arg[bad]}, reference ${wantArg[bad]}`);
    });
  });
});

test('native batch norm matches the reference on planes of several chunks with a far-off mean, identically everywhere', { skip }, () => {
  // [n, c, spatial]: the stem's 4 x 4 x 65536, a ragged last chunk, and one chunk per plane.
  const shapes: Array<[number, number, number]> = [[4, 4, 65536], [3, 2, 20001], [2, 3, 700]];
  shapes.forEach(([n, c, spatial], i) => {
    const g = { n, c, spatial };
    // A mean of 1000 and a spread of 1: a one-pass sum of squares in float32 would lose the variance.
    const x = seeded(n * c * spatial, 1200 + i, 999, 1001);
    const dy = seeded(x.length, 1210 + i);
    const gamma = seeded(c, 1220 + i, 0.5, 1.5);
    const [meanRef, varRef] = [new Float32Array(c), new Float32Array(c)];
    referenceKernel('batchNormStats')(x, meanRef, varRef, g);
    const invstd = varRef.map((v) => 1 / Math.sqrt(v + 1e-5));
    const dxRef = new Float32Array(x.length);
    const [dgRef, dbRef] = [new Float32Array(c), new Float32Array(c)];
    referenceKernel('batchNormBackward')(x, dy, meanRef, invstd, gamma, dxRef, dgRef, dbRef, g, true);
    const results = everywhere((K, label) => {
      const where = `${label} bn ${JSON.stringify(g)}`;
      const [mean, variance] = [new Float32Array(c), new Float32Array(c)];
      K.batchNormStats!(x, mean, variance, g);
      assertClose(mean, meanRef, 1e-6, 0, `${where} mean`);
      assertClose(variance, varRef, 1e-5, 0, `${where} variance`);
      const dx = new Float32Array(x.length);
      const [dg, db] = [new Float32Array(c), new Float32Array(c)];
      K.batchNormBackward!(x, dy, meanRef, invstd, gamma, dx, dg, db, g, true);
      assertClose(dx, dxRef, 1e-4, 1e-5 * maxAbs(dxRef), `${where} dx`);
      assertClose(dg, dgRef, 1e-5, 1e-6 * maxAbs(dgRef), `${where} dgamma`);
      assertClose(db, dbRef, 1e-5, 1e-6 * maxAbs(dbRef), `${where} dbeta`);
      return [mean, variance, dx, dg, db];
    });
    results.forEach((r, k) => r.forEach((a, j) => assert.ok(sameBits(a, results[0]![j]!), `bn ${JSON.stringify(g)} output ${j}: result ${k} differs in bits from the first`)));
  });
});
