import type { Rng } from '../util/random.js';
import type { Vec3 } from '../imaging/volume.js';

/** Index drawn from a categorical distribution given by (not necessarily normalised) weights. */
export function drawCategorical(rng: Rng, weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let u = rng.uniform() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i]!;
    if (u < 0) return i;
  }
  return weights.length - 1;
}

/** A key of a record of probabilities, drawn with those probabilities (in the keys' order). */
export function drawKey<K extends string>(rng: Rng, probs: Readonly<Record<K, number>>, keys: readonly K[]): K {
  return keys[drawCategorical(rng, keys.map((k) => probs[k]))]!;
}

/** Normal draw truncated to [lo, hi] by rejection (the mean, clipped, after 100 misses). */
export function truncatedNormal(rng: Rng, mean: number, sd: number, lo: number, hi: number): number {
  for (let t = 0; t < 100; t++) {
    const x = rng.normal(mean, sd);
    if (x >= lo && x <= hi) return x;
  }
  return Math.min(hi, Math.max(lo, mean));
}

/** exp(normal(log median, sigma)). */
export function logNormal(rng: Rng, median: number, logSigma: number): number {
  return median * Math.exp(rng.normal(0, logSigma));
}

/** Log-uniform in [lo, hi]. */
export function logUniform(rng: Rng, lo: number, hi: number): number {
  return Math.exp(rng.range(Math.log(lo), Math.log(hi)));
}

/** Uniform in a [lo, hi] pair. */
export function uniformIn(rng: Rng, range: readonly [number, number]): number {
  return rng.range(range[0], range[1]);
}

/** A direction uniform on the unit sphere. */
export function randomUnit(rng: Rng): Vec3 {
  const z = rng.range(-1, 1);
  const phi = rng.range(0, 2 * Math.PI);
  const s = Math.sqrt(1 - z * z);
  return [s * Math.cos(phi), s * Math.sin(phi), z];
}
