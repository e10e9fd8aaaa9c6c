import { BatchNorm3d, Conv3d, ReLU, Sequential } from '../nn/index.js';
import { conv3d, isGradEnabled, Tensor } from '../tensor/index.js';
import type { Rng } from '../util/random.js';

/**
 * Conv3d + BatchNorm3d + ReLU, as the reference's nn.Sequential (parameters named `0.weight`,
 * `1.running_mean`, ...). In evaluation without gradients the batch norm is folded into the
 * convolution (w' = w * gamma / sqrt(var + eps), b' = (b - mean) * gamma / sqrt(var + eps) + beta)
 * and the ReLU runs inside the convolution kernel: one pass instead of three, same result up to
 * float rounding.
 */
export class ConvBnRelu extends Sequential {
  readonly conv: Conv3d;
  readonly bn: BatchNorm3d;
  /**
   * The folded weights of the last no-grad eval pass, kept until the mode changes, a state dict is
   * loaded or a pass records gradients (writing the weights in place otherwise is not seen).
   */
  private foldedCache: { weight: Tensor; bias: Tensor } | null = null;

  constructor(inChannels: number, outChannels: number, kernel: number, stride: number, padding: number, rng: Rng, bias = true) {
    const conv = new Conv3d(inChannels, outChannels, kernel, { stride, padding, bias }, rng);
    const bn = new BatchNorm3d(outChannels);
    super(conv, bn, new ReLU());
    this.conv = conv;
    this.bn = bn;
  }

  override forward(x: Tensor): Tensor {
    if (this.training || isGradEnabled()) {
      // A pass that records gradients may be followed by an optimizer step in place.
      this.foldedCache = null;
      return super.forward(x);
    }
    this.foldedCache ??= this.folded();
    const { weight, bias } = this.foldedCache;
    return conv3d(x, weight, bias, { stride: this.conv.stride, padding: this.conv.padding, fuseRelu: true });
  }

  protected override stateChanged(): void {
    this.foldedCache = null;
  }

  /** The convolution with the batch norm's running statistics and affine folded in. */
  folded(): { weight: Tensor; bias: Tensor } {
    const w = this.conv.weight.f32();
    const cout = this.conv.weight.shape[0]!;
    const per = w.length / cout;
    const mean = this.bn.runningMean.f32();
    const variance = this.bn.runningVar.f32();
    const gamma = this.bn.weight.f32();
    const beta = this.bn.bias.f32();
    const b0 = this.conv.bias?.f32();
    const weight = new Float32Array(w.length);
    const bias = new Float32Array(cout);
    for (let c = 0; c < cout; c++) {
      const scale = gamma[c]! / Math.sqrt(variance[c]! + this.bn.eps);
      for (let i = 0; i < per; i++) weight[c * per + i] = w[c * per + i]! * scale;
      bias[c] = ((b0 ? b0[c]! : 0) - mean[c]!) * scale + beta[c]!;
    }
    return { weight: new Tensor(weight, this.conv.weight.shape), bias: new Tensor(bias, [cout]) };
  }
}

/** Conv3d + BatchNorm3d + ReLU (see ConvBnRelu). */
export function convBnRelu(inChannels: number, outChannels: number, kernel: number, stride: number, padding: number, rng: Rng, bias = true): ConvBnRelu {
  return new ConvBnRelu(inChannels, outChannels, kernel, stride, padding, rng, bias);
}
