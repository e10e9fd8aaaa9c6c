import type { Tensor } from '../tensor/index.js';
import { mean, mul, slice, sub, sum, Tensor as T } from '../tensor/index.js';
import { centralCells, pooledCells } from '../model/index.js';
import type { FusedPooling } from '../model/index.js';
import type { SubjectSample } from './sample.js';

/**
 * Auxiliary size and growth supervision, a training option that departs from the paper (which
 * trains on the malignancy label alone). Every cohort records the nodule's diameter per scan
 * (scans.csv diameter_mm, or measured at preprocessing), and radiologists read growth from exactly
 * that, so the network can be told both:
 * - size: channel 0 of the encoder's output, averaged over the central cells where the nodule
 *   lies, is regressed on ln(diameter / 2 mm) at each time point it encodes;
 * - growth: channel 1 of the temporal fusion's map, averaged over the cells the classifier pools
 *   (the whole map, or its central cells under --pooling centre), is regressed on ln(d_T1 / d_T0).
 * The readouts have no parameters, so checkpoints keep the official names and shapes.
 *
 * Why: trained on labels alone from a few hundred synthetic subjects, the image pathway learned
 * little and two time points scored no better than one. A whole-map average of channel 0 learned
 * size poorly (test correlation 0.55-0.6 after 300-700 steps), because the chest wall fills half
 * of many patches; the central readout reached 0.84 in 300 steps (README, "What the networks make of it").
 */

/** Per-subject regression targets and a 0/1 mask (0 where the diameter is unknown). */
export interface SizeTargets {
  readonly target: Tensor;
  readonly mask: Tensor;
  readonly count: number;
}

/** ln(diameter / 2 mm): about 0.7 for a 4 mm nodule, 2.6 for 27 mm; non-negative like the ReLU features it is read from. */
export function sizeTarget(diameterMm: number): number {
  return Math.log(diameterMm / 2);
}

export function sizeTargets(samples: readonly SubjectSample[], timepoint: 't0' | 't1'): SizeTargets {
  const target = new Float32Array(samples.length);
  const mask = new Float32Array(samples.length);
  let count = 0;
  samples.forEach((s, i) => {
    const d = s.record?.[timepoint].diameterMm;
    if (d === undefined || !(d > 0)) return;
    target[i] = sizeTarget(d);
    mask[i] = 1;
    count++;
  });
  return { target: new T(target, [samples.length]), mask: new T(mask, [samples.length]), count };
}

/**
 * The size readout of encoder features (B, C, d, h, w): channel 0 averaged over the central 2 x 2
 * cells in H and W (all of D), where the patch's nodule lies; shape (B). Averaging the whole map
 * instead would ask one number to ignore the chest wall that fills half of many patches.
 */
export function sizeReadout(encoded: Tensor): Tensor {
  return mean(centralCells(slice(encoded, 1, 0, 1)), [1, 2, 3, 4]);
}

/** ln(d_T1 / d_T0) per subject, masked where either diameter is unknown. */
export function growthTargets(samples: readonly SubjectSample[]): SizeTargets {
  const t0 = sizeTargets(samples, 't0');
  const t1 = sizeTargets(samples, 't1');
  const mask = mul(t0.mask, t1.mask);
  const count = mask.toArray().reduce((a, b) => a + b, 0);
  return { target: mul(sub(t1.target, t0.target), mask), mask, count };
}

/**
 * The growth readout of the fused map (B, C, d, h, w): channel 1 averaged over what the classifier
 * pools (the whole map, or its central cells under 'centre' pooling), shape (B).
 */
export function growthReadout(fused: Tensor, pooling: FusedPooling = 'global'): Tensor {
  return mean(pooledCells(slice(fused, 1, 1, 2), pooling), [1, 2, 3, 4]);
}

/** Whether training with these weights teaches the readouts, so that they mean something afterwards. */
export function supervisesReadouts(o: { sizeWeight: number; growthWeight: number }): boolean {
  return o.sizeWeight > 0 || o.growthWeight > 0;
}

/** Masked mean squared error of a readout (B) against targets; null when no subject has one. */
export function readoutLoss(readout: Tensor, targets: SizeTargets): Tensor | null {
  if (targets.count === 0) return null;
  const err = mul(sub(readout, targets.target), targets.mask);
  return mul(sum(mul(err, err)), T.scalar(1 / targets.count));
}
