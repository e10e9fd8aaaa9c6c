/**
 * Conformance of the native backend's convolutions and matmul with the reference backend, at every
 * instruction-set level this CPU offers (avx512, avx2, portable), on the layer shapes of CSF-Net
 * (spatial sizes reduced so the reference stays quick) and edge cases: stride 2, kernels 1/3/5,
 * anisotropic kernels and strides, padding 0, odd sizes, channel counts that are not multiples of
 * the micro-kernel tiles, batch 1, output planes that straddle panel boundaries, and the shapes that
 * take the in-place (indirect) path with masked padding lanes.
 *
 * Tolerance for sums of K products (float32 in both backends, different summation order): each
 * element within 1e-4 relative plus 2e-6 * sqrt(K) * max|reference| absolute, K the reduction
 * length. Determinism: the same call twice, and with 1 and 2 threads, gives the same bits.
 * Skipped, with the reason, when the addon is not built.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../reference/index.js';
import { referenceKernel } from '../../tensor/kernels.js';
import { assertClose, convCase, convGeometry, convInputs, maxAbs, nativeAt, nativeLevels, sameBits, seeded, sumTol } from './conformance-support.js';
import type { ConvCase } from './conformance-support.js';

const { levels, skip } = nativeLevels();

/** CSF-Net layers (ref: /work/shared/reference/csfnet_ref.py) at reduced spatial size, then edge cases. */
const CASES: ConvCase[] = [
  convCase('conv1 1->4 k3', 2, 1, 4, [6, 10, 12], 3, 1, 1),
  convCase('conv2 4->4 k3', 2, 4, 4, [6, 10, 12], 3, 1, 1),
  convCase('ResCBAM spatial 2->1 k5 p2', 2, 2, 1, [6, 9, 11], 5, 1, 2),
  convCase('stage down 4->4 k3 s2', 2, 4, 4, [8, 16, 16], 3, 2, 1),
  convCase('block 4->64 k3', 2, 4, 64, [4, 8, 8], 3, 1, 1),
  convCase('block 64->64 k3', 2, 64, 64, [2, 6, 6], 3, 1, 1),
  convCase('shortcut 4->64 k1', 2, 4, 64, [4, 8, 8], 1),
  convCase('stage down 64->64 k3 s2', 2, 64, 64, [4, 8, 8], 3, 2, 1),
  convCase('block 64->128 k3', 1, 64, 128, [2, 4, 4], 3, 1, 1),
  convCase('block 128->256 k3', 1, 128, 256, [1, 3, 3], 3, 1, 1),
  convCase('shortcut 128->256 k1', 2, 128, 256, [2, 4, 4], 1),
  convCase('block 256->512 k3', 1, 256, 512, [1, 3, 3], 3, 1, 1),
  convCase('temporal fusion 1024->512 k3', 1, 1024, 512, [1, 2, 2], 3, 1, 1),
  convCase('odd sizes, channels 3->5', 3, 3, 5, [5, 7, 9], 3, 1, 1),
  convCase('odd channels 13->17 stride 2', 1, 13, 17, [7, 9, 11], 3, 2, 1),
  convCase('k5 stride 2 pad 2', 2, 3, 6, [9, 9, 9], 5, 2, 2),
  convCase('k1 stride 2', 2, 5, 7, [5, 6, 7], 1, 2, 0),
  convCase('k3 no padding', 1, 6, 9, [5, 6, 7], 3, 1, 0),
  convCase('anisotropic kernel 1x3x3', 2, 4, 10, [3, 8, 8], [1, 3, 3], 1, [0, 1, 1]),
  convCase('anisotropic stride 1x2x2', 2, 4, 6, [4, 8, 9], 3, [1, 2, 2], 1),
  convCase('batch 1 wide rows', 1, 8, 12, [3, 5, 40], 3, 1, 1),
  convCase('rows of 32 (whole panels)', 2, 16, 24, [2, 4, 32], 3, 1, 1),
  convCase('k3 s2 odd with pad 0', 3, 2, 3, [7, 8, 9], 3, 2, 0),
  // In-place (indirect) B: rows a multiple of half a panel wide, panels never crossing samples.
  convCase('indirect rows of 16, k3', 2, 6, 10, [3, 4, 16], 3, 1, 1),
  convCase('indirect k5 pad 2, rows of 32', 1, 3, 9, [2, 3, 32], 5, 1, 2),
  convCase('indirect stride 2x2x1', 2, 4, 8, [5, 8, 32], 3, [2, 2, 1], 1),
  convCase('indirect k1, rows of 16', 2, 5, 7, [2, 2, 16], 1),
];

test('native conv3d forward, backward-data and backward-weight match the reference', { skip }, () => {
  const backends = levels.map((isa) => ({ isa, K: nativeAt(isa, 2).backend.kernels }));
  CASES.forEach((c, i) => {
    const g = c.g;
    const { x, w, bias, dy } = convInputs(g, 100 + i);
    const taps = g.kd * g.kh * g.kw;
    const reduction = g.n * g.od * g.oh * g.ow;
    // The reference once per case; every instruction-set level is compared with it.
    const fwdRef = [false, true].map((relu) => {
      const y = new Float32Array(dy.length);
      referenceKernel('conv3dForward')(x, w, bias, y, g, relu);
      return y;
    });
    const noBiasRef = new Float32Array(dy.length);
    referenceKernel('conv3dForward')(x, w, null, noBiasRef, g, false);
    const dxRef = new Float32Array(x.length);
    referenceKernel('conv3dBackwardData')(dy, w, dxRef, g);
    const dwRef = new Float32Array(w.length);
    const dbRef = new Float32Array(g.cout);
    referenceKernel('conv3dBackwardWeight')(x, dy, dwRef, dbRef, g);
    for (const { isa, K } of backends) {
      nativeAt(isa, 2);
      const label = `${isa} ${c.name}`;
      [false, true].forEach((relu, r) => {
        const got = new Float32Array(dy.length).fill(NaN);
        K.conv3dForward!(x, w, bias, got, g, relu);
        assertClose(got, fwdRef[r]!, 1e-4, sumTol(g.cin * taps, maxAbs(fwdRef[r]!)), `${label} forward relu=${relu}`);
      });
      const noBias = new Float32Array(dy.length).fill(NaN);
      K.conv3dForward!(x, w, null, noBias, g, false);
      assertClose(noBias, noBiasRef, 1e-4, sumTol(g.cin * taps, maxAbs(noBiasRef)), `${label} forward without bias`);
      const dx = new Float32Array(x.length).fill(NaN);
      K.conv3dBackwardData!(dy, w, dx, g);
      assertClose(dx, dxRef, 1e-4, sumTol(g.cout * taps, maxAbs(dxRef)), `${label} backward-data`);
      const dw = new Float32Array(w.length).fill(NaN);
      const db = new Float32Array(g.cout).fill(NaN);
      K.conv3dBackwardWeight!(x, dy, dw, db, g);
      assertClose(dw, dwRef, 1e-4, sumTol(reduction, maxAbs(dwRef)), `${label} backward-weight`);
      assertClose(db, dbRef, 1e-5, sumTol(reduction, maxAbs(dbRef)), `${label} backward-bias`);
      const dwOnly = new Float32Array(w.length);
      K.conv3dBackwardWeight!(x, dy, dwOnly, null, g);
      assert.ok(sameBits(dwOnly, dw), `${label}: dw must not depend on whether db is asked for`);
    }
  });
});

test('native conv3d is bit-identical across repeated calls and across 1 and 2 threads', { skip }, () => {
  const g = convGeometry(2, 24, 40, [4, 9, 10], [3, 3, 3], [1, 1, 1], [1, 1, 1]);
  const gs = convGeometry(2, 24, 40, [5, 9, 10], [3, 3, 3], [2, 2, 2], [1, 1, 1]);
  for (const isa of levels) {
    for (const geom of [g, gs]) {
      const { x, w, bias, dy: dyFull } = convInputs(geom, 7);
      const runs = [2, 2, 1].map((threads) => {
        const K = nativeAt(isa, threads).backend.kernels;
        const y = new Float32Array(dyFull.length);
        const dx = new Float32Array(x.length);
        const dw = new Float32Array(w.length);
        const db = new Float32Array(geom.cout);
        K.conv3dForward!(x, w, bias, y, geom, true);
        K.conv3dBackwardData!(dyFull, w, dx, geom);
        K.conv3dBackwardWeight!(x, dyFull, dw, db, geom);
        return [y, dx, dw, db];
      });
      for (let r = 1; r < runs.length; r++) {
        runs[0]!.forEach((a, i) => assert.ok(sameBits(a, runs[r]![i]!), `${isa} stride ${geom.sd}: output ${i} differs in run ${r} (threads ${r === 2 ? 1 : 2})`));
      }
    }
  }
  nativeAt(levels[0] ?? 'portable', 2);
});

test('native matmul matches the reference for every transpose, broadcast and size path', { skip }, () => {
  // [batch, m, k, n, transA, transB, strideA (0 broadcasts), strideB]: linear layers of CSF-Net
  // (batch 4 x 512 -> 256 with a transposed weight), attention-sized products, and products large
  // enough (m*k*n > 65536) to take the packed GEMM path with ragged tiles.
  const cases: Array<[number, number, number, number, boolean, boolean, boolean, boolean]> = [
    [1, 4, 512, 256, false, true, true, true],
    [1, 256, 4, 512, true, false, true, true],
    [4, 1, 32, 1, false, true, true, true],
    [3, 5, 7, 9, false, false, true, true],
    [3, 5, 7, 9, true, true, true, true],
    [2, 37, 61, 45, false, false, true, true],
    [2, 37, 61, 45, true, false, false, true],
    [2, 37, 61, 45, false, true, true, false],
    [1, 130, 300, 70, true, true, true, true],
    [1, 1, 1, 1, false, false, true, true],
  ];
  for (const isa of levels) {
    const K = nativeAt(isa, 2).backend.kernels;
    cases.forEach(([batch, m, k, n, transA, transB, ownA, ownB], i) => {
      const strideA = ownA ? m * k : 0;
      const strideB = ownB ? k * n : 0;
      const a = seeded(Math.max(1, batch * strideA || m * k), 300 + i);
      const b = seeded(Math.max(1, batch * strideB || k * n), 400 + i);
      const want = new Float32Array(batch * m * n);
      const got = new Float32Array(batch * m * n).fill(NaN);
      referenceKernel('matmul')(a, b, want, batch, m, k, n, transA, transB, strideA, strideB);
      K.matmul!(a, b, got, batch, m, k, n, transA, transB, strideA, strideB);
      assertClose(got, want, 1e-4, sumTol(k, maxAbs(want)), `${isa} matmul case ${i} ${JSON.stringify([batch, m, k, n, transA, transB, strideA, strideB])}`);
    });
  }
});

test('native kernels reject arrays whose length does not match the geometry, naming the kernel', { skip }, () => {
  const K = nativeAt(levels[0] ?? 'portable', 2).backend.kernels;
  const g = convGeometry(1, 2, 3, [4, 4, 4], [3, 3, 3], [1, 1, 1], [1, 1, 1]);
  const x = new Float32Array(2 * 64);
  const w = new Float32Array(3 * 2 * 27);
  assert.throws(() => K.conv3dForward!(x, w, null, new Float32Array(10), g, false), /conv3dForward: y has 10 elements, expected 192/);
  assert.throws(() => K.conv3dForward!(x.subarray(1), w, null, new Float32Array(192), g, false), /conv3dForward: x has 127 elements/);
  assert.throws(() => K.conv3dForward!(x, w, null, new Float32Array(192), { ...g, od: 5 }, false), /conv3dForward: output size does not match/);
  assert.throws(() => K.matmul!(new Float32Array(5), new Float32Array(6), new Float32Array(4), 1, 2, 3, 2, false, false, 6, 6), /matmul: a is shorter/);
});
