import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../backends/reference/index.js';
import { add, matmul, softmax, Tensor, transpose } from '../tensor/index.js';
import { expectClose } from '../tensor/testing.js';
import { ConfigError } from '../util/errors.js';
import { Rng } from '../util/random.js';
import { BatchNorm3d, Conv3d, Linear, ReLU, Sequential } from './layers.js';
import { Module } from './module.js';
import { MultiheadAttention } from './multihead-attention.js';

class Block extends Module {
  readonly conv1: Sequential;
  readonly head: Linear;
  constructor(rng: Rng) {
    super();
    this.conv1 = this.child('conv1', new Sequential(new Conv3d(1, 2, 3, { padding: 1 }, rng), new BatchNorm3d(2), new ReLU()));
    this.head = this.child('head', new Linear(2, 1, rng, { bias: false }));
  }
}

test('state dict names follow PyTorch: numbered Sequential children, buffers after parameters', () => {
  const m = new Block(new Rng(1));
  assert.deepEqual([...m.stateDict().keys()], [
    'conv1.0.weight', 'conv1.0.bias', 'conv1.1.weight', 'conv1.1.bias',
    'conv1.1.running_mean', 'conv1.1.running_var', 'conv1.1.num_batches_tracked', 'head.weight',
  ]);
  assert.equal(m.parameterCount(), 2 * 27 + 2 + 2 + 2 + 2);
  assert.equal(m.eval().conv1.layers[1]!.training, false);
});

test('loading copies values; a missing key or a wrong shape is an error naming the key and both shapes', () => {
  const a = new Block(new Rng(1));
  const b = new Block(new Rng(2));
  const state = new Map(a.stateDict());
  state.set('extra.weight', Tensor.zeros([1]));
  assert.deepEqual(b.loadStateDict(state).unexpected, ['extra.weight']);
  assert.deepEqual(b.head.weight.toArray(), a.head.weight.toArray());
  state.set('head.weight', Tensor.zeros([2, 2]));
  assert.throws(() => b.loadStateDict(state), (e: unknown) => e instanceof ConfigError && /head\.weight: checkpoint shape \[2, 2\] does not match the model's \[1, 2\]/.test(e.message));
  state.delete('head.weight');
  assert.throws(() => b.loadStateDict(state), (e: unknown) => e instanceof ConfigError && /missing 1 key\(s\): head\.weight/.test(e.message));
});

test('default initialisation: conv and linear weights uniform within 1/sqrt(fan_in) with the variance of that law', () => {
  const conv = new Conv3d(8, 64, 3, {}, new Rng(3));
  const bound = 1 / Math.sqrt(8 * 27);
  const w = conv.weight.f32();
  let sq = 0;
  for (const v of w) {
    assert.ok(Math.abs(v) <= bound);
    sq += v * v;
  }
  const variance = sq / w.length;
  assert.ok(Math.abs(variance / (bound * bound / 3) - 1) < 0.05, `variance ${variance}`);
  assert.ok(conv.bias!.toArray().every((v) => Math.abs(v) <= bound));
});

test('batch norm updates running statistics with the unbiased variance and counts batches', () => {
  const bn = new BatchNorm3d(1);
  bn.forward(Tensor.from([1, 3, 2, 4], [2, 1, 2]));
  // mean 2.5, unbiased variance 5/3: running 0.25 and 0.9 + 0.1 * 5/3
  expectClose(bn.runningMean, [0.25], { rtol: 1e-6 });
  expectClose(bn.runningVar, [0.9 + 0.5 / 3], { rtol: 1e-6 });
  assert.equal(bn.numBatchesTracked.item(), 1);
});

test('multi-head attention with one token per side returns out_proj(value projection)', () => {
  const rng = new Rng(4);
  const mha = new MultiheadAttention(8, 4, 0.2, rng).eval();
  const q = Tensor.from(Array.from({ length: 16 }, () => rng.normal()), [2, 1, 8]);
  const kv = Tensor.from(Array.from({ length: 16 }, () => rng.normal()), [2, 1, 8]);
  const out = mha.forward(q, kv, kv);
  const wv = Tensor.from(mha.inProjWeight.f32().slice(16 * 8, 24 * 8), [8, 8]);
  const v = add(matmul(kv, transpose(wv)), Tensor.from(mha.inProjBias.f32().slice(16, 24)));
  expectClose(out, mha.outProj.forward(v), { rtol: 1e-5, atol: 1e-6 });
});

test('multi-head attention over several tokens equals per-head softmax(q k^T / sqrt(d_h)) v', () => {
  const rng = new Rng(5);
  const mha = new MultiheadAttention(4, 2, 0, rng);
  const x = Tensor.from(Array.from({ length: 12 }, () => rng.normal()), [1, 3, 4]);
  const out = mha.forward(x, x, x);
  const proj = (i: number): Tensor => add(matmul(x, transpose(Tensor.from(mha.inProjWeight.f32().slice(i * 16, i * 16 + 16), [4, 4]))), Tensor.from(mha.inProjBias.f32().slice(i * 4, i * 4 + 4)));
  const [q, k, v] = [proj(0), proj(1), proj(2)];
  const headsOut: number[][] = [[], [], []];
  for (let h = 0; h < 2; h++) {
    const pick = (t: Tensor): Tensor => Tensor.from([0, 1, 2].flatMap((r) => Array.from(t.f32().slice(r * 4 + h * 2, r * 4 + h * 2 + 2))), [3, 2]);
    const scores = Tensor.from(matmul(pick(q), transpose(pick(k))).f32().map((s) => s / Math.sqrt(2)), [3, 3]);
    const o = matmul(softmax(scores), pick(v));
    for (let r = 0; r < 3; r++) headsOut[r]!.push(...o.f32().slice(r * 2, r * 2 + 2));
  }
  const merged = Tensor.from(headsOut.flat(), [1, 3, 4]);
  expectClose(out, mha.outProj.forward(merged), { rtol: 1e-5, atol: 1e-6 });
});
