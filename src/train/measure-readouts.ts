import type { ReadoutPrediction, ReadoutQuantity } from '../eval/readout-agreement.js';
import type { CsfNet, Trace } from '../model/index.js';
import { MODEL_PARTS } from '../model/index.js';
import type { Tensor } from '../tensor/index.js';
import type { OnTrace } from './predict.js';
import type { SubjectSample } from './sample.js';
import type { SizeTargets } from './size-supervision.js';
import { growthReadout, growthTargets, sizeReadout, sizeTargets } from './size-supervision.js';

/**
 * The size and growth readouts of a trained network on held-out subjects, beside the annotated
 * values they were taught: size at each time point the model encodes, growth where it has the
 * temporal fusion. Subjects without an annotated diameter are left out of that quantity. Only
 * meaningful for a network trained with --size-weight / --growth-weight.
 *
 * Read from the evaluation pass that scores the subjects: pass the returned hook to
 * predictSubjects, and the rows collect in `rows`.
 */
export function readoutCollector(model: CsfNet, fold: number): { onTrace: OnTrace; rows: ReadoutPrediction[] } {
  const rows: ReadoutPrediction[] = [];
  const push = (quantity: ReadoutQuantity, chunk: readonly SubjectSample[], readout: Tensor, targets: SizeTargets): void => {
    const values = readout.toArray();
    const wanted = targets.target.toArray();
    const mask = targets.mask.toArray();
    chunk.forEach((s, i) => {
      if (mask[i] === 1) rows.push({ quantity, subjectId: s.id, fold, label: s.label, value: values[i]!, target: wanted[i]! });
    });
  };
  const temporal = MODEL_PARTS[model.config.model].fusion === 'temporal';
  const onTrace = (chunk: readonly SubjectSample[], trace: Trace): void => {
    if (trace.enc_t0) push('size-t0', chunk, sizeReadout(trace.enc_t0), sizeTargets(chunk, 't0'));
    if (trace.enc_t1) push('size-t1', chunk, sizeReadout(trace.enc_t1), sizeTargets(chunk, 't1'));
    if (temporal && trace.fused) push('growth', chunk, growthReadout(trace.fused, model.config.pooling), growthTargets(chunk));
  };
  return { onTrace, rows };
}
