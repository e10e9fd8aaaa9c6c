import { Linear, Module, MultiheadAttention } from '../nn/index.js';
import type { Tensor } from '../tensor/index.js';
import { add, concat, relu, squeeze, unsqueeze } from '../tensor/index.js';
import type { Rng } from '../util/random.js';

/**
 * Cross-modal attention fusion `fusion` (CMAF, arXiv 2501.16400, Sec. 3.3), per sample with one
 * token per modality: i = ReLU(`fi1` img), t = ReLU(`ft1` tab); image v/k/q = ReLU(`conv_i1/2/3` i),
 * clinical v/k/q = ReLU(`conv_t1/2/3` t); V = `self_attn_V`(q_t, k_i, v_i) + i,
 * T = `self_attn_T`(q_i, k_t, v_t) + t (4 heads, dropout on the attention weights);
 * output cat(`fi2` V, `ft2` T). The public code attends across the samples of a batch (it passes
 * (B, d) matrices); here each sample attends only to itself, which agrees with it at batch size 1.
 * Shapes: (B, d), (B, d) -> (B, 2d).
 */
export class CrossModalFusion extends Module {
  readonly fi1: Linear;
  readonly fi2: Linear;
  readonly ft1: Linear;
  readonly ft2: Linear;
  readonly convI: readonly [Linear, Linear, Linear];
  readonly convT: readonly [Linear, Linear, Linear];
  readonly attnV: MultiheadAttention;
  readonly attnT: MultiheadAttention;

  constructor(dim: number, heads: number, dropout: number, rng: Rng) {
    super();
    this.fi1 = this.child('fi1', new Linear(dim, dim, rng));
    this.fi2 = this.child('fi2', new Linear(dim, dim, rng));
    this.ft1 = this.child('ft1', new Linear(dim, dim, rng));
    this.ft2 = this.child('ft2', new Linear(dim, dim, rng));
    const linear = (name: string): Linear => this.child(name, new Linear(dim, dim, rng));
    this.convI = [linear('conv_i1'), linear('conv_i2'), linear('conv_i3')];
    this.convT = [linear('conv_t1'), linear('conv_t2'), linear('conv_t3')];
    this.attnV = this.child('self_attn_V', new MultiheadAttention(dim, heads, dropout, rng));
    this.attnT = this.child('self_attn_T', new MultiheadAttention(dim, heads, dropout, rng));
  }

  forward(img: Tensor, tab: Tensor): Tensor {
    const i = unsqueeze(relu(this.fi1.forward(img)), 1);
    const t = unsqueeze(relu(this.ft1.forward(tab)), 1);
    const [v1, k1, q1] = this.convI.map((l) => relu(l.forward(i))) as [Tensor, Tensor, Tensor];
    const [v2, k2, q2] = this.convT.map((l) => relu(l.forward(t))) as [Tensor, Tensor, Tensor];
    const V = add(this.attnV.forward(q2, k1, v1), i);
    const T = add(this.attnT.forward(q1, k2, v2), t);
    return squeeze(concat([this.fi2.forward(V), this.ft2.forward(T)], -1), 1);
  }
}
