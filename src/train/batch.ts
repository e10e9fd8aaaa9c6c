import { Tensor } from '../tensor/index.js';
import { Rng } from '../util/random.js';
import { augmentPatch, drawAugmentation } from './augment.js';
import type { SubjectSample } from './sample.js';
import { PATCH_SHAPE, PATCH_SIZE } from './sample.js';

export interface Batch {
  x0: Tensor | null;
  x1: Tensor | null;
  clin: Tensor;
  labels: Tensor;
  ids: string[];
}

export interface BatchOptions {
  /** When given, training augmentation drawn from this generator. */
  augment?: Rng;
  needT0: boolean;
  needT1: boolean;
}

/** Stacks subjects into model inputs (B, 1, 16, 64, 64) x2, clinical (B, columns) and labels (B). */
export function makeBatch(samples: readonly SubjectSample[], options: BatchOptions): Batch {
  const b = samples.length;
  const cols = samples[0]?.clinical.length ?? 0;
  const stack = (pick: (s: SubjectSample) => Float32Array | null, which: string): Tensor => {
    const out = new Float32Array(b * PATCH_SIZE);
    samples.forEach((s, i) => {
      const p = pick(s);
      if (p === null) throw new Error(`makeBatch: subject ${s.id} has no ${which} patch`);
      out.set(p, i * PATCH_SIZE);
    });
    return new Tensor(out, [b, 1, ...PATCH_SHAPE]);
  };
  let x0 = options.needT0 ? stack((s) => s.t0, 'T0') : null;
  let x1 = options.needT1 ? stack((s) => s.t1, 'T1') : null;
  if (options.augment) {
    const rng = options.augment;
    const ax0 = x0 ? new Float32Array(x0.size) : null;
    const ax1 = x1 ? new Float32Array(x1.size) : null;
    for (let i = 0; i < b; i++) {
      const draw = drawAugmentation(rng);
      const noise = new Rng(rng.nextUint32());
      const span = [i * PATCH_SIZE, (i + 1) * PATCH_SIZE] as const;
      if (x0 && ax0) ax0.set(augmentPatch(x0.f32().subarray(...span), draw, noise), span[0]);
      if (x1 && ax1) ax1.set(augmentPatch(x1.f32().subarray(...span), draw, noise), span[0]);
    }
    x0 = x0 && ax0 ? new Tensor(ax0, x0.shape) : null;
    x1 = x1 && ax1 ? new Tensor(ax1, x1.shape) : null;
  }
  const clin = new Int32Array(b * cols);
  samples.forEach((s, i) => clin.set(s.clinical, i * cols));
  return {
    x0,
    x1,
    clin: new Tensor(clin, [b, cols]),
    labels: Tensor.int(samples.map((s) => s.label)),
    ids: samples.map((s) => s.id),
  };
}
