import type { Triple } from '../tensor/index.js';
import { batchNorm, conv3d, embedding, linear, relu, sigmoid, Tensor } from '../tensor/index.js';
import { dropout } from '../tensor/index.js';
import { Rng } from '../util/random.js';
import { defaultBias, kaimingUniformDefault, normal } from './init.js';
import type { Parameter } from './module.js';
import { Module } from './module.js';

/** A module with one tensor input and output, so it can sit in a Sequential. */
export abstract class Layer extends Module {
  abstract forward(x: Tensor): Tensor;
}

export interface Conv3dLayerOptions {
  stride?: Triple;
  padding?: Triple;
  bias?: boolean;
}

/** torch.nn.Conv3d (dilation 1, groups 1): weight (out, in, k, k, k), optional bias (out). */
export class Conv3d extends Layer {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  readonly stride: Triple;
  readonly padding: Triple;

  constructor(inChannels: number, outChannels: number, kernelSize: Triple, options: Conv3dLayerOptions, rng: Rng) {
    super();
    const k = typeof kernelSize === 'number' ? [kernelSize, kernelSize, kernelSize] : kernelSize;
    const shape = [outChannels, inChannels, ...k];
    this.weight = this.param('weight', kaimingUniformDefault(shape, rng));
    this.bias = options.bias ?? true ? this.param('bias', defaultBias(outChannels, shape, rng)) : null;
    this.stride = options.stride ?? 1;
    this.padding = options.padding ?? 0;
  }

  forward(x: Tensor): Tensor {
    return conv3d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding });
  }
}

/**
 * torch.nn.BatchNorm3d (eps 1e-5, momentum 0.1, affine, tracking running statistics); buffers
 * running_mean, running_var and num_batches_tracked as in PyTorch's state dict.
 */
export class BatchNorm3d extends Layer {
  readonly weight: Parameter;
  readonly bias: Parameter;
  readonly runningMean: Tensor;
  readonly runningVar: Tensor;
  readonly numBatchesTracked: Tensor;

  constructor(
    readonly channels: number,
    readonly eps = 1e-5,
    readonly momentum = 0.1,
  ) {
    super();
    this.weight = this.param('weight', Tensor.ones([channels]));
    this.bias = this.param('bias', Tensor.zeros([channels]));
    this.runningMean = this.buffer('running_mean', Tensor.zeros([channels]));
    this.runningVar = this.buffer('running_var', Tensor.ones([channels]));
    this.numBatchesTracked = this.buffer('num_batches_tracked', Tensor.int([0], []));
  }

  forward(x: Tensor): Tensor {
    if (this.training) this.numBatchesTracked.data[0]! += 1;
    return batchNorm(x, this.runningMean, this.runningVar, this.weight, this.bias, { training: this.training, momentum: this.momentum, eps: this.eps });
  }
}

/** torch.nn.Linear: weight (out, in), optional bias (out), PyTorch's default initialisation. */
export class Linear extends Layer {
  readonly weight: Parameter;
  readonly bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, rng: Rng, options: { bias?: boolean } = {}) {
    super();
    this.weight = this.param('weight', kaimingUniformDefault([outFeatures, inFeatures], rng));
    this.bias = options.bias ?? true ? this.param('bias', defaultBias(outFeatures, [outFeatures, inFeatures], rng)) : null;
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }
}

/** torch.nn.Embedding: weight (rows, dim) ~ N(0, 1); forward takes int32 indices. */
export class Embedding extends Module {
  readonly weight: Parameter;

  constructor(rows: number, dim: number, rng: Rng) {
    super();
    this.weight = this.param('weight', normal([rows, dim], rng));
  }

  forward(idx: Tensor): Tensor {
    return embedding(this.weight, idx);
  }
}

/** Inverted dropout with its own seeded generator; `reseed` makes masks reproducible per step. */
export class Dropout extends Layer {
  private rng: Rng;

  constructor(
    readonly p: number,
    seed: number,
  ) {
    super();
    this.rng = new Rng(seed);
  }

  reseed(seed: number): void {
    this.rng = new Rng(seed);
  }

  forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training, this.rng);
  }
}

export class ReLU extends Layer {
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}

export class Sigmoid extends Layer {
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
}

/** torch.nn.Sequential: children named "0", "1", ... applied in order. */
export class Sequential extends Layer {
  readonly layers: readonly Layer[];

  constructor(...layers: Layer[]) {
    super();
    this.layers = layers;
    layers.forEach((l, i) => this.child(String(i), l));
  }

  forward(x: Tensor): Tensor {
    let y = x;
    for (const l of this.layers) y = l.forward(y);
    return y;
  }
}
