/**
 * The native backend's Winograd F(2x2x2, 3x3x3) convolutions (native/src/winograd.h: kernel 3x3x3,
 * stride 1, at least 16 channels on each side; forward and the stride-1 data gradient) against the
 * reference backend, at every instruction-set level this CPU offers. Shapes: CSF-Net's 3x3x3
 * layers (64->64, 128->128, 256->512, and 1024->80 standing in for the 1024->512 temporal fusion:
 * transformed weights in several chunks with the input transformed once for all tiles) at reduced
 * size; 1024->24 on more tiles (the input transformed for groups of blocks), 2100->24 (the input
 * transformed again per chunk of weights); odd output sizes (partial tiles on every axis), padding 0, 1 and 2, sizes 1 and 2, channel
 * counts that are not multiples of the micro-kernel tiles, blocks of tiles that span rows and
 * samples, batch 1 and 3; bias and ReLU on and off.
 *
 * Tolerance: Winograd's transforms reorder and rescale the sums, so the error is stated against the
 * sum of |terms| of each output, s = conv(|x|, |w|) + |b| (computed by the reference backend):
 * |native - reference| <= 1e-5 * s. Also: 1 and 2 threads give the same bits. Skipped, with the
 * reason, when the addon is not built.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../reference/index.js';
import type { Conv3dGeometry } from '../../tensor/kernels.js';
import { referenceKernel } from '../../tensor/kernels.js';
import { convCase, convInputs, nativeAt, nativeLevels, sameBits } from './conformance-support.js';
import type { ConvCase } from './conformance-support.js';

const { levels, skip } = nativeLevels();

/** Error bound relative to the sum of |terms| of each output. */
const RTOL_TERMS = 1e-5;

const CASES: ConvCase[] = [
  convCase('block 64->64', 2, 64, 64, [4, 8, 16], 3, 1, 1),
  convCase('stage 128->128 (tile rows of 4, blocks span rows)', 2, 128, 128, [4, 8, 8], 3, 1, 1),
  convCase('stage 256->512 at 2x8x8 (blocks span samples)', 3, 256, 48, [2, 8, 8], 3, 1, 1),
  convCase('temporal fusion 1024->80 (weights in chunks, shared input transform)', 2, 1024, 80, [2, 4, 6], 3, 1, 1),
  convCase('1024->24 on 72 tiles (weights in chunks, input transformed in two groups of blocks)', 1, 1024, 24, [2, 12, 24], 3, 1, 1),
  convCase('2100->24 (a block of input past the kept workspace: transformed again per chunk)', 1, 2100, 24, [3, 6, 8], 3, 1, 1),
  convCase('odd sizes 17->19', 2, 17, 19, [5, 7, 9], 3, 1, 1),
  convCase('padding 0, odd outputs', 1, 20, 24, [5, 6, 11], 3, 1, 0),
  convCase('padding 2', 2, 16, 16, [3, 4, 5], 3, 1, 2),
  convCase('padding per axis 0, 1, 2', 1, 24, 16, [4, 5, 6], 3, 1, [0, 1, 2]),
  convCase('size 1 on every axis', 3, 16, 33, [1, 1, 1], 3, 1, 1),
  convCase('width 2, height 1, 70 rows of tiles per block', 2, 16, 16, [35, 1, 2], 3, 1, 1),
  convCase('wide rows (runs longer than a panel)', 1, 16, 20, [2, 3, 70], 3, 1, 1),
];

type Kernels = ReturnType<typeof nativeAt>['backend']['kernels'];

const abs = (a: Float32Array): Float32Array => a.map((v) => Math.abs(v));

/** Throws naming the worst element unless |got - want| <= RTOL_TERMS * terms everywhere. */
function assertWithinTerms(got: Float32Array, want: Float32Array, terms: Float32Array, label: string): void {
  assert.equal(got.length, want.length, label);
  let worst = -1;
  let worstRatio = 1;
  for (let i = 0; i < want.length; i++) {
    const ratio = Math.abs(got[i]! - want[i]!) / (RTOL_TERMS * terms[i]! + 1e-30);
    if (!(ratio <= worstRatio)) {
      worst = i;
      worstRatio = ratio;
    }
  }
  if (worst >= 0) throw new Error(`${label}: element ${worst} is ${got[worst]}, reference ${want[worst]}, sum of |terms| ${terms[worst]} (bound ${RTOL_TERMS} of it)`);
}

function forward(K: Kernels | null, x: Float32Array, w: Float32Array, bias: Float32Array | null, g: Conv3dGeometry, relu: boolean): Float32Array {
  const y = new Float32Array(g.n * g.cout * g.od * g.oh * g.ow).fill(NaN);
  (K?.conv3dForward ?? referenceKernel('conv3dForward'))(x, w, bias, y, g, relu);
  return y;
}

function backwardData(K: Kernels | null, dy: Float32Array, w: Float32Array, g: Conv3dGeometry): Float32Array {
  const dx = new Float32Array(g.n * g.cin * g.id * g.ih * g.iw).fill(NaN);
  (K?.conv3dBackwardData ?? referenceKernel('conv3dBackwardData'))(dy, w, dx, g);
  return dx;
}

test('Winograd convolutions match the reference within 1e-5 of the sum of |terms| at every ISA level', { skip }, () => {
  CASES.forEach((c, i) => {
    const g = c.g;
    const d = convInputs(g, 900 + 11 * i);
    const terms = forward(null, abs(d.x), abs(d.w), abs(d.bias), g, false);
    const termsNoBias = forward(null, abs(d.x), abs(d.w), null, g, false);
    const dxTerms = backwardData(null, abs(d.dy), abs(d.w), g);
    const want = [forward(null, d.x, d.w, d.bias, g, false), forward(null, d.x, d.w, d.bias, g, true), forward(null, d.x, d.w, null, g, false)];
    const dxWant = backwardData(null, d.dy, d.w, g);
    for (const isa of levels) {
      const K = nativeAt(isa, 2).backend.kernels;
      const label = `${isa} ${c.name}`;
      assertWithinTerms(forward(K, d.x, d.w, d.bias, g, false), want[0]!, terms, `${label} forward`);
      assertWithinTerms(forward(K, d.x, d.w, d.bias, g, true), want[1]!, terms, `${label} forward relu`);
      assertWithinTerms(forward(K, d.x, d.w, null, g, false), want[2]!, termsNoBias, `${label} forward without bias`);
      assertWithinTerms(backwardData(K, d.dy, d.w, g), dxWant, dxTerms, `${label} backward-data`);
    }
  });
});

test('Winograd convolutions are bit-identical across repeated calls and across 1 and 2 threads', { skip }, () => {
  for (const c of [CASES[1]!, CASES[3]!, CASES[4]!, CASES[5]!, CASES[6]!]) {
    const g = c.g;
    const d = convInputs(g, 77);
    for (const isa of levels) {
      const runs = [2, 2, 1].map((threads) => {
        const K = nativeAt(isa, threads).backend.kernels;
        return [forward(K, d.x, d.w, d.bias, g, true), backwardData(K, d.dy, d.w, g)];
      });
      for (let r = 1; r < runs.length; r++) {
        runs[0]!.forEach((a, k) => assert.ok(sameBits(a, runs[r]![k]!), `${isa} ${c.name}: output ${k} differs in run ${r} (threads ${r === 2 ? 1 : 2})`));
      }
    }
  }
  nativeAt(levels[0] ?? 'portable', 2);
});
