import type { Tensor } from '../tensor/index.js';
import { check } from './check.js';
import { dropout, linear, matmul, mul, permute, reshape, slice, softmax, transpose } from '../tensor/index.js';
import { Tensor as T } from '../tensor/index.js';
import { Rng } from '../util/random.js';
import { xavierUniform } from './init.js';
import { Linear } from './layers.js';
import type { Parameter } from './module.js';
import { Module } from './module.js';

/**
 * torch.nn.MultiheadAttention with batch_first=True, as PyTorch computes it: one packed input
 * projection `in_proj_weight` (3d, d) and `in_proj_bias` (3d) split into query/key/value rows, scaled
 * dot-product attention per head with dropout on the attention weights in training, and `out_proj`.
 * query (B, Lq, d), key and value (B, Lk, d) -> (B, Lq, d).
 */
export class MultiheadAttention extends Module {
  readonly inProjWeight: Parameter;
  readonly inProjBias: Parameter;
  readonly outProj: Linear;
  private rng: Rng;

  constructor(
    readonly dim: number,
    readonly heads: number,
    readonly dropoutP: number,
    rng: Rng,
  ) {
    super();
    check(dim % heads === 0, 'MultiheadAttention', `dimension ${dim} is not divisible by ${heads} heads`);
    // PyTorch's _reset_parameters: xavier_uniform_ in_proj_weight, zero in_proj_bias and out_proj.bias.
    this.inProjWeight = this.param('in_proj_weight', xavierUniform([3 * dim, dim], rng));
    this.inProjBias = this.param('in_proj_bias', T.zeros([3 * dim]));
    this.outProj = this.child('out_proj', new Linear(dim, dim, rng));
    this.outProj.bias?.f32().fill(0);
    this.rng = rng.fork('attention-dropout');
  }

  reseed(seed: number): void {
    this.rng = new Rng(seed);
  }

  forward(query: Tensor, key: Tensor, value: Tensor): Tensor {
    const d = this.dim;
    const [b, lq] = query.shape as [number, number];
    const lk = key.shape[1]!;
    const w = (i: number): Tensor => slice(this.inProjWeight, 0, i * d, (i + 1) * d);
    const bias = (i: number): Tensor => slice(this.inProjBias, 0, i * d, (i + 1) * d);
    const heads = (x: Tensor, len: number): Tensor => permute(reshape(x, [b, len, this.heads, d / this.heads]), [0, 2, 1, 3]);
    const q = heads(linear(query, w(0), bias(0)), lq);
    const k = heads(linear(key, w(1), bias(1)), lk);
    const v = heads(linear(value, w(2), bias(2)), lk);
    const scores = mul(matmul(q, transpose(k, -2, -1)), 1 / Math.sqrt(d / this.heads));
    const attn = dropout(softmax(scores), this.dropoutP, this.training, this.rng);
    const merged = reshape(permute(matmul(attn, v), [0, 2, 1, 3]), [b, lq, d]);
    return this.outProj.forward(merged);
  }
}
