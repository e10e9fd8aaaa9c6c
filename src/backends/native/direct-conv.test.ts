/**
 * The native backend's direct convolution kernels (native/src/direct-conv.h: at most 4 output
 * channels for forward and weight gradient, at most 4 input channels for the stride-1 data
 * gradient, 8 on rows of 32 or more, 8 input channels for the strided data gradient) against the
 * reference backend, at every instruction-set level this CPU offers, and the
 * GEMM paths on the same shapes with the direct kernels switched off. Shapes: CSF-Net's stem
 * (1->4 k3, 4->4 k3, 2->1 k5, 4->4 k3 stride 2) at reduced size; output widths around the vector
 * widths (1, 7, 8, 9, 15, 16, 17, 31, 33: the masked last vector of AVX2's 8 and AVX-512's 16
 * lanes, and the 2- and 4-vector chunks); padding 0 and k-1 on each axis (every border); kernels
 * 1x3x5 and 5x3x1; strides 2, 3 and 4 and anisotropic strides (phase-split source rows, and the
 * strided data gradient by output parity, including parities no tap reaches and 8 input channels);
 * batch 1; wider input sides (9->2, 2->3 with 7 outputs).
 *
 * Tolerances as native.test.ts: 1e-4 relative plus 2e-6 * sqrt(K) * max|reference| absolute for
 * sums of K products. Also: NaN in input columns no output reads stays out of the weight gradient;
 * 1 and 2 threads give the same bits. Skipped, with the reason, when the addon is not built.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../reference/index.js';
import type { Conv3dGeometry } from '../../tensor/kernels.js';
import { referenceKernel } from '../../tensor/kernels.js';
import { assertClose, convCase, convGeometry, convInputs, maxAbs, nativeAt, nativeLevels, sameBits, sumTol } from './conformance-support.js';
import type { ConvCase } from './conformance-support.js';

const { levels, skip } = nativeLevels();

const CASES: ConvCase[] = [
  convCase('stem conv1 1->4 k3', 2, 1, 4, [5, 12, 64], 3, 1, 1),
  convCase('stem conv2 4->4 k3', 2, 4, 4, [4, 9, 64], 3, 1, 1),
  convCase('ResCBAM 2->1 k5 p2', 2, 2, 1, [6, 9, 64], 5, 1, 2),
  convCase('stem down 4->4 k3 s2', 2, 4, 4, [6, 10, 64], 3, 2, 1),
  convCase('width 1', 2, 2, 3, [3, 4, 1], 3, 1, 1),
  convCase('width 7, batch 1', 1, 3, 2, [4, 5, 7], 3, 1, 1),
  convCase('width 8', 2, 1, 4, [3, 3, 8], 3, 1, 1),
  convCase('width 9', 2, 4, 1, [3, 5, 9], 3, 1, 1),
  convCase('width 15, k5', 1, 2, 2, [5, 6, 15], 5, 1, 2),
  convCase('width 16', 2, 3, 3, [2, 4, 16], 3, 1, 1),
  convCase('width 17', 1, 4, 4, [3, 3, 17], 3, 1, 1),
  convCase('width 31', 2, 2, 1, [2, 3, 31], 5, 1, 2),
  convCase('width 33, batch 1', 1, 1, 2, [3, 4, 33], 3, 1, 1),
  convCase('padding 0', 2, 3, 4, [5, 6, 20], 3, 1, 0),
  convCase('padding k-1 on every axis', 2, 2, 3, [3, 4, 11], 3, 1, 2),
  convCase('padding only along W', 1, 2, 2, [4, 5, 13], 3, 1, [0, 0, 1]),
  convCase('padding only along D and H, k5', 2, 1, 3, [6, 7, 10], 5, 1, [2, 3, 0]),
  convCase('kernel 1x3x5', 2, 3, 2, [4, 6, 19], [1, 3, 5], 1, [0, 1, 2]),
  convCase('kernel 5x3x1', 1, 2, 4, [7, 6, 18], [5, 3, 1], 1, [2, 1, 0]),
  convCase('kernel 1', 2, 4, 3, [2, 3, 21], 1),
  convCase('stride 2 odd sizes', 2, 3, 4, [7, 9, 11], 3, 2, 1),
  convCase('stride 2 k5', 1, 2, 1, [9, 9, 23], 5, 2, 2),
  convCase('stride 3 pad 0', 2, 2, 2, [8, 8, 26], 3, 3, 0),
  convCase('stride 1x2x2', 2, 4, 4, [4, 8, 34], 3, [1, 2, 2], 1),
  convCase('stride 2x1x1', 1, 3, 3, [8, 5, 12], 3, [2, 1, 1], 1),
  convCase('small-variant down 8->8 k3 s2 (data gradient by parity, two channel groups)', 2, 8, 8, [6, 8, 32], 3, 2, 1),
  convCase('stride 2 k5 p1 (uneven taps per parity)', 1, 3, 2, [7, 9, 13], 5, 2, 1),
  convCase('stride 2 k2 p0', 2, 2, 3, [6, 7, 10], 2, 2, 0),
  convCase('stride 4 k3 p1 (parities no tap reaches)', 1, 2, 2, [9, 9, 21], 3, 4, 1),
  convCase('stride 2x1x2 with 5 outputs', 2, 6, 5, [5, 6, 14], 3, [2, 1, 2], 1),
  convCase('wide input 9->2', 2, 9, 2, [3, 4, 18], 3, 1, 1),
  convCase('outputs 7 on rows of 12 (forward and weight gradient by GEMM, data gradient direct)', 2, 2, 7, [3, 5, 12], 3, 1, 1),
  convCase('small-variant 8->8 on rows of 32 (two register groups)', 2, 8, 8, [3, 4, 32], 3, 1, 1),
  convCase('outputs 6 on rows of 37, 5 inputs', 1, 5, 6, [2, 3, 37], 3, 1, 1),
  convCase('inputs 6, outputs 5 (forward and weight by GEMM)', 1, 6, 5, [3, 4, 10], 3, 1, 1),
];

interface Passes {
  y: Float32Array;
  yRelu: Float32Array;
  dx: Float32Array;
  dw: Float32Array;
  db: Float32Array;
}

type ConvKernels = ReturnType<typeof nativeAt>['backend']['kernels'];

function run(K: ConvKernels | null, g: Conv3dGeometry, d: ReturnType<typeof convInputs>): Passes {
  const fwd = K?.conv3dForward ?? referenceKernel('conv3dForward');
  const data = K?.conv3dBackwardData ?? referenceKernel('conv3dBackwardData');
  const weight = K?.conv3dBackwardWeight ?? referenceKernel('conv3dBackwardWeight');
  const out = {
    y: new Float32Array(d.dy.length).fill(NaN),
    yRelu: new Float32Array(d.dy.length).fill(NaN),
    dx: new Float32Array(d.x.length).fill(NaN),
    dw: new Float32Array(d.w.length).fill(NaN),
    db: new Float32Array(g.cout).fill(NaN),
  };
  fwd(d.x, d.w, d.bias, out.y, g, false);
  fwd(d.x, d.w, d.bias, out.yRelu, g, true);
  data(d.dy, d.w, out.dx, g);
  weight(d.x, d.dy, out.dw, out.db, g);
  return out;
}

function compare(got: Passes, want: Passes, g: Conv3dGeometry, label: string): void {
  const taps = g.kd * g.kh * g.kw;
  const reduction = g.n * g.od * g.oh * g.ow;
  assertClose(got.y, want.y, 1e-4, sumTol(g.cin * taps, maxAbs(want.y)), `${label} forward`);
  assertClose(got.yRelu, want.yRelu, 1e-4, sumTol(g.cin * taps, maxAbs(want.yRelu)), `${label} forward relu`);
  assertClose(got.dx, want.dx, 1e-4, sumTol(g.cout * taps, maxAbs(want.dx)), `${label} backward-data`);
  assertClose(got.dw, want.dw, 1e-4, sumTol(reduction, maxAbs(want.dw)), `${label} backward-weight`);
  assertClose(got.db, want.db, 1e-5, sumTol(reduction, maxAbs(want.db)), `${label} backward-bias`);
}

test('direct and GEMM convolutions match the reference on small-channel shapes at every ISA level', { skip }, () => {
  CASES.forEach((c, i) => {
    const d = convInputs(c.g, 500 + 7 * i);
    const want = run(null, c.g, d);
    for (const isa of levels) {
      const load = nativeAt(isa, 2);
      try {
        for (const direct of [true, false]) {
          load.addon.setDirectConv(direct);
          compare(run(load.backend.kernels, c.g, d), want, c.g, `${isa} ${direct ? 'direct' : 'gemm'} ${c.name}`);
        }
      } finally {
        load.addon.setDirectConv(true);
      }
    }
  });
});

test('direct convolutions: NaN in input columns that no output reads stays out of every result', { skip }, () => {
  // Stride 2 along W, k3, no padding over 10 columns: outputs read columns 0..8, never column 9,
  // which the phase-split source still holds (phase 1, index 4) next to the columns that are read.
  const g = convGeometry(2, 2, 3, [3, 7, 10], [3, 3, 3], [1, 2, 2], [0, 0, 0]);
  const d = convInputs(g, 900);
  for (let i = 9; i < d.x.length; i += 10) d.x[i] = NaN;
  const want = run(null, g, d);
  assert.ok(want.dw.every(Number.isFinite) && want.y.every(Number.isFinite), 'the reference must stay finite for this case to mean anything');
  for (const isa of levels) {
    const got = run(nativeAt(isa, 2).backend.kernels, g, d);
    compare(got, want, g, `${isa} NaN in unread columns`);
  }
});

test('direct convolutions give the same bits for 1 and 2 threads and repeated calls', { skip }, () => {
  const named = (prefix: string): Conv3dGeometry => CASES.find((c) => c.name.startsWith(prefix))!.g;
  const shapes = ['stem conv2', 'ResCBAM', 'stem down', 'stride 2 odd', 'small-variant down'].map(named);
  for (const isa of levels) {
    shapes.forEach((g, i) => {
      const d = convInputs(g, 950 + i);
      const runs = [2, 2, 1].map((threads) => run(nativeAt(isa, threads).backend.kernels, g, d));
      for (let r = 1; r < runs.length; r++) {
        for (const key of ['y', 'yRelu', 'dx', 'dw', 'db'] as const) {
          assert.ok(sameBits(runs[0]![key], runs[r]![key]), `${isa} shape ${i} ${key}: run ${r} (threads ${r === 2 ? 1 : 2}) differs`);
        }
      }
    });
  }
  nativeAt(levels[0] ?? 'portable', 2);
});
