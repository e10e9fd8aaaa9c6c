import type { CsfNet, Trace } from '../model/index.js';
import { noGrad, softmax } from '../tensor/index.js';
import { crossEntropy } from '../tensor/index.js';
import { makeBatch } from './batch.js';
import type { SubjectSample } from './sample.js';
import { modelInputs } from './model-inputs.js';

export interface Scored {
  /** P(malignant) per subject, in input order. */
  probabilities: number[];
  /** Mean cross-entropy against the labels. */
  loss: number;
}

/** What a batch of the evaluation pass computed on its way to the logits (encoder outputs, fused map...). */
export type OnTrace = (chunk: readonly SubjectSample[], trace: Trace) => void;

/**
 * Evaluation-mode, no-grad probabilities of malignancy for subjects, in batches. `onTrace` sees each
 * batch's intermediate tensors, so a caller that needs them (the size and growth readouts) reads
 * them from this pass instead of running the network again.
 */
export function predictSubjects(model: CsfNet, samples: readonly SubjectSample[], batchSize = 4, onTrace?: OnTrace): Scored {
  const wasTraining = model.training;
  model.eval();
  const probabilities: number[] = [];
  let lossSum = 0;
  try {
    noGrad(() => {
      for (let start = 0; start < samples.length; start += batchSize) {
        const chunk = samples.slice(start, start + batchSize);
        const batch = makeBatch(chunk, modelInputs(model));
        const trace: Trace = {};
        const logits = model.forward(batch.x0, batch.x1, batch.clin, onTrace ? { trace } : {});
        onTrace?.(chunk, trace);
        lossSum += crossEntropy(logits, batch.labels).item() * chunk.length;
        const p = softmax(logits).f32();
        for (let i = 0; i < chunk.length; i++) probabilities.push(p[i * 2 + 1]!);
      }
    });
  } finally {
    model.train(wasTraining);
  }
  return { probabilities, loss: samples.length > 0 ? lossSum / samples.length : NaN };
}
