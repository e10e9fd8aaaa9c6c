import { Conv3d, Module } from '../nn/index.js';
import type { Parameter } from '../nn/index.js';
import type { Tensor } from '../tensor/index.js';
import { adaptiveAvgPool3d, add, concat, mul, sigmoid, Tensor as T, upsampleTrilinear } from '../tensor/index.js';
import type { Rng } from '../util/random.js';

/**
 * Temporal residual fusion `tepfushon` (arXiv 2501.16400, Sec. 3.2): f = cat(t0, t1) on channels,
 * trilinear upsampling x2 (align_corners), adaptive average pooling back to t1's size, `conv3d`
 * (2C -> C, k3, p1, bias); out = sigmoid(`weight_t0`) * f + sigmoid(`weight_t1`) * t1 with the
 * scalars initialised to 0.3 and 0.7. (The public code also builds res_conv1/res_conv2, unused; the
 * paper's figure shows a ReLU the code does not apply.) Shapes: two (N, C, D, H, W) -> (N, C, D, H, W).
 */
export class TemporalFusion extends Module {
  readonly conv3d: Conv3d;
  readonly weightT0: Parameter;
  readonly weightT1: Parameter;

  constructor(channels: number, rng: Rng) {
    super();
    this.conv3d = this.child('conv3d', new Conv3d(2 * channels, channels, 3, { padding: 1 }, rng));
    this.weightT0 = this.param('weight_t0', T.from([0.3], []));
    this.weightT1 = this.param('weight_t1', T.from([0.7], []));
  }

  forward(t0: Tensor, t1: Tensor): Tensor {
    const [, , d, h, w] = t1.shape as [number, number, number, number, number];
    let f = concat([t0, t1], 1);
    f = upsampleTrilinear(f, [2 * d, 2 * h, 2 * w], true);
    f = adaptiveAvgPool3d(f, [d, h, w]);
    f = this.conv3d.forward(f);
    return add(mul(sigmoid(this.weightT0), f), mul(sigmoid(this.weightT1), t1));
  }
}
