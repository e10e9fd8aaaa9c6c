import { BatchNorm3d, Conv3d, ReLU, Sequential } from '../nn/index.js';
import type { Rng } from '../util/random.js';

/** Conv3d + BatchNorm3d + ReLU as one Sequential, so parameters are named `0.weight`, `1.running_mean`, ... */
export function convBnRelu(inChannels: number, outChannels: number, kernel: number, stride: number, padding: number, rng: Rng, bias = true): Sequential {
  return new Sequential(new Conv3d(inChannels, outChannels, kernel, { stride, padding, bias }, rng), new BatchNorm3d(outChannels), new ReLU());
}
