import { Layer } from '../nn/index.js';
import type { Sequential } from '../nn/index.js';
import type { Tensor } from '../tensor/index.js';
import { add } from '../tensor/index.js';
import type { Rng } from '../util/random.js';
import { convBnRelu } from './conv-bn-relu.js';

/**
 * CSF-Net's residual block (arXiv 2501.16400, Fig. 2): main path `my_conv1` (k3) -> `my_conv2` (k3),
 * shortcut `conv3` (k1), each Conv3d + BN + ReLU; output = main + shortcut with no activation after
 * the sum. Shapes: (N, in, D, H, W) -> (N, out, D, H, W).
 */
export class ResidualBlock extends Layer {
  readonly myConv1: Sequential;
  readonly myConv2: Sequential;
  readonly conv3: Sequential;

  constructor(inChannels: number, outChannels: number, rng: Rng) {
    super();
    this.myConv1 = this.child('my_conv1', convBnRelu(inChannels, outChannels, 3, 1, 1, rng));
    this.myConv2 = this.child('my_conv2', convBnRelu(outChannels, outChannels, 3, 1, 1, rng));
    this.conv3 = this.child('conv3', convBnRelu(inChannels, outChannels, 1, 1, 0, rng));
  }

  forward(x: Tensor): Tensor {
    return add(this.myConv2.forward(this.myConv1.forward(x)), this.conv3.forward(x));
  }
}
