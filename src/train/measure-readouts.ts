import type { ReadoutPrediction, ReadoutQuantity } from '../eval/readout-agreement.js';
import type { CsfNet, Trace } from '../model/index.js';
import { MODEL_PARTS } from '../model/index.js';
import type { Tensor } from '../tensor/index.js';
import { noGrad } from '../tensor/index.js';
import { makeBatch } from './batch.js';
import { modelInputs } from './model-inputs.js';
import type { SubjectSample } from './sample.js';
import type { SizeTargets } from './size-supervision.js';
import { growthReadout, growthTargets, sizeReadout, sizeTargets } from './size-supervision.js';

/**
 * The size and growth readouts of a trained network on held-out subjects, in evaluation mode,
 * beside the annotated values they were taught: size at each time point the model encodes, growth
 * where it has the temporal fusion. Subjects without an annotated diameter are left out of that
 * quantity. Only meaningful for a network trained with --size-weight / --growth-weight.
 */
export function measureReadouts(model: CsfNet, samples: readonly SubjectSample[], fold: number, batchSize = 4): ReadoutPrediction[] {
  const parts = MODEL_PARTS[model.config.model];
  if (!parts.image) return [];
  const wasTraining = model.training;
  model.eval();
  const out: ReadoutPrediction[] = [];
  const push = (quantity: ReadoutQuantity, chunk: readonly SubjectSample[], readout: Tensor, targets: SizeTargets): void => {
    const values = readout.toArray();
    const wanted = targets.target.toArray();
    const mask = targets.mask.toArray();
    chunk.forEach((s, i) => {
      if (mask[i] === 1) out.push({ quantity, subjectId: s.id, fold, label: s.label, value: values[i]!, target: wanted[i]! });
    });
  };
  try {
    noGrad(() => {
      for (let start = 0; start < samples.length; start += batchSize) {
        const chunk = samples.slice(start, start + batchSize);
        const batch = makeBatch(chunk, modelInputs(model));
        const trace: Trace = {};
        model.forward(batch.x0, batch.x1, batch.clin, { trace });
        if (trace.enc_t0) push('size-t0', chunk, sizeReadout(trace.enc_t0), sizeTargets(chunk, 't0'));
        if (trace.enc_t1) push('size-t1', chunk, sizeReadout(trace.enc_t1), sizeTargets(chunk, 't1'));
        if (parts.fusion === 'temporal' && trace.fused) push('growth', chunk, growthReadout(trace.fused, model.config.pooling), growthTargets(chunk));
      }
    });
  } finally {
    model.train(wasTraining);
  }
  return out;
}
