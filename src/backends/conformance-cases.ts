/**
 * The engine's conformance cases: every op on small inputs with results computed by hand (in the
 * comments), plus random inputs for gradient checks. Shared by the suite of every backend.
 */
import * as T from '../tensor/index.js';
import { Tensor } from '../tensor/index.js';
import type { Rng } from '../util/random.js';

export interface ForwardCase {
  name: string;
  run: () => Tensor;
  expected: readonly number[];
  shape: readonly number[];
}

export interface GradCase {
  name: string;
  /** Float inputs whose gradients are checked; ops take them in this order. */
  inputs: (rng: Rng) => Tensor[];
  run: (...xs: Tensor[]) => Tensor;
  /** Finite-difference step (default 1e-2) and tolerance (rtol, atol). */
  h?: number;
  rtol?: number;
  atol?: number;
}

const t = (values: number[], shape: number[]): Tensor => Tensor.from(values, shape);
const seq = (n: number, shape: number[], start = 1): Tensor => Tensor.from(Array.from({ length: n }, (_, i) => start + i), shape);

export const forwardCases: ForwardCase[] = [
  // [[1,2,3],[4,5,6]] + [10,20,30]
  { name: 'add broadcast row', run: () => T.add(seq(6, [2, 3]), t([10, 20, 30], [3])), expected: [11, 22, 33, 14, 25, 36], shape: [2, 3] },
  // [[1],[2]] - [10,20,30] -> column against row
  { name: 'sub broadcast both', run: () => T.sub(t([1, 2], [2, 1]), t([10, 20, 30], [3])), expected: [-9, -19, -29, -8, -18, -28], shape: [2, 3] },
  { name: 'mul scalar', run: () => T.mul(seq(3, [3]), 2), expected: [2, 4, 6], shape: [3] },
  { name: 'div', run: () => T.div(t([1, 3, -8], [3]), t([2, 4, 2], [3])), expected: [0.5, 0.75, -4], shape: [3] },
  // channel attention shape: (1,2,1,1,1) * (1,2,1,1,2)
  { name: 'mul channel broadcast 5-D', run: () => T.mul(t([2, 3], [1, 2, 1, 1, 1]), seq(4, [1, 2, 1, 1, 2])), expected: [2, 4, 9, 12], shape: [1, 2, 1, 1, 2] },
  { name: 'maximum with ties', run: () => T.maximum(t([1, 5, 3], [3]), t([2, 5, 1], [3])), expected: [2, 5, 3], shape: [3] },
  { name: 'relu keeps NaN', run: () => T.relu(t([-1, 0, 2, NaN], [4])), expected: [0, 0, 2, NaN], shape: [4] },
  // sigmoid(0) = 1/2, sigmoid(ln 3) = 3/4, sigmoid(-ln 3) = 1/4
  { name: 'sigmoid', run: () => T.sigmoid(t([0, Math.log(3), -Math.log(3)], [3])), expected: [0.5, 0.75, 0.25], shape: [3] },
  { name: 'exp log sqrt', run: () => T.sqrt(T.exp(T.log(t([4, 9], [2])))), expected: [2, 3], shape: [2] },
  { name: 'tanh abs neg', run: () => T.neg(T.abs(T.tanh(t([0, -100], [2])))), expected: [-0, -1], shape: [2] },
  { name: 'add propagates NaN', run: () => T.add(t([NaN, 1], [2]), t([1, NaN], [2])), expected: [NaN, NaN], shape: [2] },
  // [[1,2,3],[4,5,6]]: column sums 5,7,9; row means 2,5; max over all 6
  { name: 'sum axis 0', run: () => T.sum(seq(6, [2, 3]), 0), expected: [5, 7, 9], shape: [3] },
  { name: 'mean axis 1 keepDims', run: () => T.mean(seq(6, [2, 3]), 1, { keepDims: true }), expected: [2, 5], shape: [2, 1] },
  { name: 'max all', run: () => T.max(t([3, 9, -1, 9, 2, 0], [2, 3])), expected: [9], shape: [] },
  // (1,2,2,1,2): spatial max per channel of [1,2,3,4] and [8,7,6,5] -> 4, 8; mean over axes 2..4 -> 2.5, 6.5
  { name: 'max over spatial axes', run: () => T.max(t([1, 2, 3, 4, 8, 7, 6, 5], [1, 2, 2, 1, 2]), [2, 3, 4]), expected: [4, 8], shape: [1, 2] },
  { name: 'mean over spatial axes', run: () => T.mean(t([1, 2, 3, 4, 8, 7, 6, 5], [1, 2, 2, 1, 2]), [2, 3, 4]), expected: [2.5, 6.5], shape: [1, 2] },
  // channel max/mean (axis 1) at each voxel of a (1,2,1,1,2) tensor [[1,5],[4,2]] -> max [4,5], mean [2.5,3.5]
  { name: 'max over channels', run: () => T.max(t([1, 5, 4, 2], [1, 2, 1, 1, 2]), 1, { keepDims: true }), expected: [4, 5], shape: [1, 1, 1, 1, 2] },
  { name: 'max NaN wins', run: () => T.max(t([1, NaN, 3], [3])), expected: [NaN], shape: [] },
  // [[1,2,3],[4,5,6]] @ [[1,0],[0,1],[1,1]] = [[4,5],[10,11]]
  { name: 'matmul', run: () => T.matmul(seq(6, [2, 3]), t([1, 0, 0, 1, 1, 1], [3, 2])), expected: [4, 5, 10, 11], shape: [2, 2] },
  // batch of two 1x2 @ 2x1: [1,2].[3,4] = 11; [5,6].[7,8] = 83
  { name: 'matmul batched', run: () => T.matmul(t([1, 2, 5, 6], [2, 1, 2]), t([3, 4, 7, 8], [2, 2, 1])), expected: [11, 83], shape: [2, 1, 1] },
  // x [1,2] with W [[1,1],[2,-1],[0,3]] and b [1,0,-1] -> [1+2+1, 2-2+0, 0+6-1] = [4,0,5]
  { name: 'linear', run: () => T.linear(t([1, 2], [1, 2]), t([1, 1, 2, -1, 0, 3], [3, 2]), t([1, 0, -1], [3])), expected: [4, 0, 5], shape: [1, 3] },
  // 3x3 image 1..9, 2x2 ones kernel: window sums 12,16,24,28; bias 0.5
  { name: 'conv3d valid 2x2', run: () => T.conv3d(seq(9, [1, 1, 1, 3, 3]), Tensor.ones([1, 1, 1, 2, 2]), t([0.5], [1])), expected: [12.5, 16.5, 24.5, 28.5], shape: [1, 1, 1, 2, 2] },
  // kernel 3, stride 2, padding 1 on the same image: the windows centred on the corners give the same sums
  { name: 'conv3d stride 2 pad 1', run: () => T.conv3d(seq(9, [1, 1, 1, 3, 3]), Tensor.ones([1, 1, 3, 3, 3]), null, { stride: 2, padding: 1 }), expected: [12, 16, 24, 28], shape: [1, 1, 1, 2, 2] },
  // two input channels [1,2] and [3,4] (1x1x2), 1x1x1 kernel weights [2, -1] -> [2-3, 4-4]
  { name: 'conv3d 1x1 mixes channels', run: () => T.conv3d(t([1, 2, 3, 4], [1, 2, 1, 1, 2]), t([2, -1], [1, 2, 1, 1, 1])), expected: [-1, 0], shape: [1, 1, 1, 1, 2] },
  // channel values [1,3] (n=0) and [2,4] (n=1): mean 2.5, biased var 1.25 -> (x - 2.5)/sqrt(1.25 + 1e-5)
  { name: 'batchNorm train', run: () => T.batchNorm(t([1, 3, 2, 4], [2, 1, 2]), Tensor.zeros([1]), Tensor.ones([1]), null, null, { training: true }), expected: [-1.5, 0.5, -0.5, 1.5].map((v) => v / Math.sqrt(1.25 + 1e-5)), shape: [2, 1, 2] },
  // running mean 1, var 4, gamma 2, beta 1: (x - 1)/sqrt(4 + 1e-5)*2 + 1
  { name: 'batchNorm eval', run: () => T.batchNorm(t([1, 3, 5], [1, 1, 3]), t([1], [1]), t([4], [1]), t([2], [1]), t([1], [1]), { training: false }), expected: [0, 2, 4].map((v) => (v / Math.sqrt(4 + 1e-5)) * 2 + 1), shape: [1, 1, 3] },
  // log(e^1 + e^2 + e^3) = 3.4076059644443806
  { name: 'logSoftmax', run: () => T.logSoftmax(t([1, 2, 3], [1, 3])), expected: [1, 2, 3].map((v) => v - 3.4076059644443806), shape: [1, 3] },
  // rows [0,0] and [0, ln 3]: targets 0 and 1; nll = ln 2 and -ln(3/4); class weights [1, 3] -> (ln2 + 3 ln(4/3)) / 4
  { name: 'crossEntropy weighted', run: () => T.crossEntropy(t([0, 0, 0, Math.log(3)], [2, 2]), Tensor.int([0, 1]), t([1, 3], [2])), expected: [(Math.log(2) + 3 * Math.log(4 / 3)) / 4], shape: [] },
  { name: 'embedding', run: () => T.embedding(seq(6, [3, 2]), Tensor.int([2, 0, 2], [1, 3])), expected: [5, 6, 1, 2, 5, 6], shape: [1, 3, 2] },
  { name: 'concat axis 1', run: () => T.concat([seq(2, [2, 1]), seq(4, [2, 2], 10)], 1), expected: [1, 10, 11, 2, 12, 13], shape: [2, 3] },
  { name: 'slice axis 1', run: () => T.slice(seq(6, [2, 3]), 1, 1, 3), expected: [2, 3, 5, 6], shape: [2, 2] },
  { name: 'permute', run: () => T.permute(seq(6, [2, 3]), [1, 0]), expected: [1, 4, 2, 5, 3, 6], shape: [3, 2] },
  { name: 'reshape infers -1', run: () => T.reshape(seq(6, [2, 3]), [3, -1]), expected: [1, 2, 3, 4, 5, 6], shape: [3, 2] },
  // 1x1x1x2x4 [1..8] pooled 1x2x2: max [6, 8], average [3.5, 5.5]
  { name: 'maxPool3d', run: () => T.maxPool3d(seq(8, [1, 1, 1, 2, 4]), [1, 2, 2]), expected: [6, 8], shape: [1, 1, 1, 1, 2] },
  { name: 'avgPool3d', run: () => T.avgPool3d(seq(8, [1, 1, 1, 2, 4]), [1, 2, 2]), expected: [3.5, 5.5], shape: [1, 1, 1, 1, 2] },
  // avg with padding 1, kernel 3, stride 3 on 1x1x1x1x3 [3,6,9]: window covers -1..1 in w, divisor 27 counts padding
  { name: 'avgPool3d counts padding', run: () => T.avgPool3d(t([3, 6, 9], [1, 1, 1, 1, 3]), 3, { stride: 3, padding: 1 }), expected: [(3 + 6) / 27], shape: [1, 1, 1, 1, 1] },
  // 5 -> 3 bins [0,2), [1,4), [3,5) of [1..5]: 1.5, 3, 4.5
  { name: 'adaptiveAvgPool3d 5 to 3', run: () => T.adaptiveAvgPool3d(seq(5, [1, 1, 1, 1, 5]), [1, 1, 3]), expected: [1.5, 3, 4.5], shape: [1, 1, 1, 1, 3] },
  // align corners 2 -> 3: [a, (a+b)/2, b] with a=2, b=6
  { name: 'trilinear align corners', run: () => T.upsampleTrilinear(t([2, 6], [1, 1, 1, 1, 2]), [1, 1, 3], true), expected: [2, 4, 6], shape: [1, 1, 1, 1, 3] },
  // no align 2 -> 4: sources -0.25 (clamped 0), 0.25, 0.75, 1.25 (clamped to the edge) -> [2, 3, 5, 6]
  { name: 'trilinear half-pixel', run: () => T.upsampleTrilinear(t([2, 6], [1, 1, 1, 1, 2]), [1, 1, 4], false), expected: [2, 3, 5, 6], shape: [1, 1, 1, 1, 4] },
];

const rand = (rng: Rng, shape: number[], away = 0): Tensor => {
  const n = shape.reduce((a, b) => a * b, 1);
  return Tensor.from(Array.from({ length: n }, () => {
    const v = rng.normal();
    return away > 0 && Math.abs(v) < away ? Math.sign(v || 1) * (away + Math.abs(v)) : v;
  }), shape);
};

/** Values spaced 0.1 apart in random order: no near-ties, so arg-max stays put under finite differences. */
const distinct = (rng: Rng, shape: number[]): Tensor => {
  const n = shape.reduce((a, b) => a * b, 1);
  return Tensor.from(rng.shuffle(Array.from({ length: n }, (_, i) => (i - n / 2) * 0.1)), shape);
};

const CE_TARGET = Tensor.int([1, 0, 2]);

export const gradCases: GradCase[] = [
  { name: 'add/sub/mul/div broadcast', inputs: (r) => [rand(r, [2, 3]), rand(r, [3], 0.5)], run: (a, b) => T.div(T.mul(T.sub(T.add(a, b), b), b), T.add(T.mul(b, b), 1)) },
  { name: 'maximum', inputs: (r) => [distinct(r, [4]), T.add(distinct(r, [4]), 0.05)], run: (a, b) => T.maximum(a, b) },
  { name: 'relu sigmoid tanh', inputs: (r) => [rand(r, [6], 0.1)], run: (a) => T.tanh(T.sigmoid(T.relu(a))) },
  { name: 'exp log sqrt abs', inputs: (r) => [rand(r, [5], 0.3)], run: (a) => T.sqrt(T.log(T.add(T.exp(T.abs(a)), 1))) },
  { name: 'sum mean max axes', inputs: (r) => [distinct(r, [2, 3, 4])], run: (a) => T.add(T.add(T.sum(a, [0, 2], { keepDims: true }), T.mean(a, 1, { keepDims: true })), T.max(a, [1, 2], { keepDims: true })) },
  { name: 'matmul batched and shared', inputs: (r) => [rand(r, [2, 3, 4]), rand(r, [4, 2])], run: (a, b) => T.matmul(a, b) },
  { name: 'matmul both batched', inputs: (r) => [rand(r, [2, 2, 3]), rand(r, [2, 3, 2])], run: (a, b) => T.matmul(a, b) },
  { name: 'linear', inputs: (r) => [rand(r, [2, 3, 4]), rand(r, [5, 4]), rand(r, [5])], run: (x, w, b) => T.linear(x, w, b) },
  { name: 'conv3d k3 p1', inputs: (r) => [rand(r, [2, 2, 3, 4, 5]), rand(r, [3, 2, 3, 3, 3]), rand(r, [3])], run: (x, w, b) => T.conv3d(x, w, b, { padding: 1 }) },
  { name: 'conv3d k3 s2 p1', inputs: (r) => [rand(r, [1, 2, 4, 5, 6]), rand(r, [2, 2, 3, 3, 3])], run: (x, w) => T.conv3d(x, w, null, { stride: 2, padding: 1 }) },
  { name: 'conv3d k5 p2', inputs: (r) => [rand(r, [1, 2, 3, 3, 4]), rand(r, [1, 2, 5, 5, 5])], run: (x, w) => T.conv3d(x, w, null, { padding: 2 }) },
  { name: 'conv3d k1', inputs: (r) => [rand(r, [2, 3, 2, 2, 3]), rand(r, [4, 3, 1, 1, 1]), rand(r, [4])], run: (x, w, b) => T.conv3d(x, w, b) },
  { name: 'batchNorm train', inputs: (r) => [rand(r, [3, 2, 2, 1, 2]), rand(r, [2]), rand(r, [2])], run: (x, g, b) => T.batchNorm(x, null, null, g, b, { training: true }), rtol: 2e-2, atol: 2e-3 },
  { name: 'batchNorm eval', inputs: (r) => [rand(r, [2, 2, 3]), rand(r, [2]), rand(r, [2])], run: (x, g, b) => T.batchNorm(x, Tensor.from([0.1, -0.2]), Tensor.from([0.5, 2]), g, b, { training: false }) },
  { name: 'logSoftmax softmax', inputs: (r) => [rand(r, [3, 4])], run: (a) => T.add(T.logSoftmax(a), T.softmax(a)) },
  { name: 'crossEntropy weighted', inputs: (r) => [rand(r, [3, 3])], run: (a) => T.crossEntropy(a, CE_TARGET, Tensor.from([1, 2, 0.5])) },
  { name: 'embedding', inputs: (r) => [rand(r, [4, 3])], run: (tab) => T.embedding(tab, Tensor.int([3, 1, 3, 0], [2, 2])) },
  { name: 'concat slice permute reshape', inputs: (r) => [rand(r, [2, 3]), rand(r, [2, 2])], run: (a, b) => T.reshape(T.permute(T.slice(T.concat([a, b], 1), 1, 1, 4), [1, 0]), [-1]) },
  { name: 'maxPool3d', inputs: (r) => [distinct(r, [1, 2, 2, 4, 4])], run: (x) => T.maxPool3d(x, 2) },
  { name: 'avgPool3d padded', inputs: (r) => [rand(r, [1, 1, 3, 3, 3])], run: (x) => T.avgPool3d(x, 3, { stride: 2, padding: 1 }) },
  { name: 'adaptiveAvgPool3d', inputs: (r) => [rand(r, [1, 2, 3, 5, 4])], run: (x) => T.adaptiveAvgPool3d(x, [2, 3, 3]) },
  { name: 'trilinear align corners', inputs: (r) => [rand(r, [1, 2, 2, 3, 2])], run: (x) => T.upsampleTrilinear(x, [4, 6, 4], true) },
  { name: 'trilinear half-pixel', inputs: (r) => [rand(r, [1, 1, 2, 2, 3])], run: (x) => T.upsampleTrilinear(x, [3, 5, 4], false) },
];

/** Ops called wrongly, each expected to throw a ShapeError whose message names the op. */
export const shapeErrorCases: Array<{ op: string; run: () => unknown }> = [
  { op: 'add', run: () => T.add(Tensor.zeros([2, 3]), Tensor.zeros([4])) },
  { op: 'matmul', run: () => T.matmul(Tensor.zeros([2, 3]), Tensor.zeros([2, 3])) },
  { op: 'conv3d', run: () => T.conv3d(Tensor.zeros([1, 2, 4, 4, 4]), Tensor.zeros([1, 3, 3, 3, 3])) },
  { op: 'conv3d', run: () => T.conv3d(Tensor.zeros([1, 4, 4, 4]), Tensor.zeros([1, 1, 3, 3, 3])) },
  { op: 'linear', run: () => T.linear(Tensor.zeros([2, 3]), Tensor.zeros([4, 5])) },
  { op: 'concat', run: () => T.concat([Tensor.zeros([2, 3]), Tensor.zeros([3, 3])], 1) },
  { op: 'reshape', run: () => T.reshape(Tensor.zeros([2, 3]), [4, 2]) },
  { op: 'batchNorm', run: () => T.batchNorm(Tensor.zeros([2, 3, 4]), Tensor.zeros([2]), Tensor.zeros([2]), null, null, { training: false }) },
  { op: 'embedding', run: () => T.embedding(Tensor.zeros([3, 2]), Tensor.int([3])) },
  { op: 'nllLoss', run: () => T.crossEntropy(Tensor.zeros([2, 3]), Tensor.int([0, 3])) },
  { op: 'maxPool3d', run: () => T.maxPool3d(Tensor.zeros([1, 1, 1, 1, 1]), 2) },
  { op: 'sum', run: () => T.sum(Tensor.zeros([2]), 3) },
];
