import { Conv3d, Layer, Linear } from '../nn/index.js';
import type { Tensor } from '../tensor/index.js';
import { add, concat, max, mean, mul, reshape, sigmoid } from '../tensor/index.js';
import type { Rng } from '../util/random.js';

/**
 * Residual CBAM block of CSF-Net (Shen et al., arXiv 2501.16400, Fig. 2; CBAM: Woo et al., ECCV 2018).
 * Channel attention a = sigmoid(L2(L1(avgpool x)) + L2(L1(maxpool x))) with shared bias-free linears
 * c -> c/4 -> c (`ch_Linear1`, `ch_Linear2`); ch = a * x; spatial map
 * s = sigmoid(Conv3d(2 -> 1, k5, p2)([max_c ch, mean_c ch])) (`sp_Conv`); output s * x + x.
 * The map multiplies the block's input x, not ch: what the public code does.
 * Shapes: (N, C, D, H, W) -> (N, C, D, H, W).
 */
export class ResCBAM extends Layer {
  readonly chLinear1: Linear;
  readonly chLinear2: Linear;
  readonly spConv: Conv3d;

  constructor(
    readonly channels: number,
    rng: Rng,
  ) {
    super();
    const hidden = Math.max(Math.floor(channels / 4), 1);
    this.chLinear1 = this.child('ch_Linear1', new Linear(channels, hidden, rng, { bias: false }));
    this.chLinear2 = this.child('ch_Linear2', new Linear(hidden, channels, rng, { bias: false }));
    this.spConv = this.child('sp_Conv', new Conv3d(2, 1, 5, { padding: 2, bias: false }, rng));
  }

  forward(x: Tensor): Tensor {
    const [n, c] = x.shape as [number, number];
    const mlp = (v: Tensor): Tensor => this.chLinear2.forward(this.chLinear1.forward(v));
    const spatial = [2, 3, 4];
    const attention = sigmoid(add(mlp(mean(x, spatial)), mlp(max(x, spatial))));
    const ch = mul(reshape(attention, [n, c, 1, 1, 1]), x);
    const pooled = concat([max(ch, 1, { keepDims: true }), mean(ch, 1, { keepDims: true })], 1);
    const map = sigmoid(this.spConv.forward(pooled));
    return add(mul(map, x), x);
  }
}
