import type { Layer } from '../nn/index.js';
import { Sequential } from '../nn/index.js';
import type { Tensor } from '../tensor/index.js';
import type { Rng } from '../util/random.js';
import { convBnRelu } from './conv-bn-relu.js';
import { ResCBAM } from './res-cbam.js';
import { ResidualBlock } from './residual-block.js';

/** Output channels of each stage's residual blocks, e.g. the paper's [[64,64,64],[128,128,256],[256,256,256,512]]. */
export type Stages = ReadonlyArray<readonly number[]>;

/**
 * The `layers` Sequential of CSF-Net's spatial encoder (arXiv 2501.16400, Fig. 2): per stage a
 * stride-2 Conv3d(c -> c, k3, p1, no bias) + BN + ReLU, one ResidualBlock per entry, then ResCBAM.
 * Returns the Sequential and its output channel count.
 */
export function encoderStages(stages: Stages, inChannels: number, rng: Rng): { layers: Sequential; channels: number } {
  const layers: Layer[] = [];
  let c = inChannels;
  for (const stage of stages) {
    layers.push(convBnRelu(c, c, 3, 2, 1, rng, false));
    for (const out of stage) {
      layers.push(new ResidualBlock(c, out, rng));
      c = out;
    }
    layers.push(new ResCBAM(c, rng));
  }
  return { layers: new Sequential(...layers), channels: c };
}

/** Stem + stages, as CSF-Net's encode(): conv1 (1 -> 4) -> conv2 (4 -> 4) -> first_cbam -> layers. */
export function encode(stem: readonly Layer[], layers: Sequential, x: Tensor): Tensor {
  let y = x;
  for (const l of stem) y = l.forward(y);
  return layers.forward(y);
}
