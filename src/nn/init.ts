import type { Shape } from '../tensor/index.js';
import { sizeOf, Tensor } from '../tensor/index.js';
import type { Rng } from '../util/random.js';

/**
 * Weight initialisers reproducing PyTorch's defaults in distribution, each drawing from an explicit
 * seeded generator (torch.nn.init; fan_in = input channels x kernel volume).
 */

/** Fan-in of a weight (out, in, ...kernel): in x kernel volume. */
export function fanIn(shape: Shape): number {
  return shape.length < 2 ? shape[0]! : shape[1]! * sizeOf(shape.slice(2));
}

export function fanOut(shape: Shape): number {
  return shape[0]! * sizeOf(shape.slice(2));
}

/** U(-bound, bound). */
export function uniform(shape: Shape, bound: number, rng: Rng): Tensor {
  const t = Tensor.zeros(shape);
  const d = t.f32();
  for (let i = 0; i < d.length; i++) d[i] = rng.range(-bound, bound);
  return t;
}

/** N(mean, std). */
export function normal(shape: Shape, rng: Rng, mean = 0, std = 1): Tensor {
  const t = Tensor.zeros(shape);
  const d = t.f32();
  for (let i = 0; i < d.length; i++) d[i] = rng.normal(mean, std);
  return t;
}

/**
 * PyTorch's default for Conv and Linear weights, kaiming_uniform_(a = sqrt(5)):
 * bound = gain * sqrt(3 / fan_in), gain = sqrt(2 / (1 + a^2)) = sqrt(1/3), so bound = 1/sqrt(fan_in).
 */
export function kaimingUniformDefault(shape: Shape, rng: Rng): Tensor {
  return uniform(shape, 1 / Math.sqrt(fanIn(shape)), rng);
}

/** PyTorch's default bias of Conv and Linear: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) of the weight's fan-in. */
export function defaultBias(size: number, weightShape: Shape, rng: Rng): Tensor {
  const f = fanIn(weightShape);
  return uniform([size], f > 0 ? 1 / Math.sqrt(f) : 0, rng);
}

/** xavier_uniform_: bound = sqrt(6 / (fan_in + fan_out)) (MultiheadAttention's in_proj_weight). */
export function xavierUniform(shape: Shape, rng: Rng): Tensor {
  return uniform(shape, Math.sqrt(6 / (fanIn(shape) + fanOut(shape))), rng);
}
