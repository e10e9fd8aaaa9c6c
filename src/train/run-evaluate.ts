import { resolve } from 'node:path';
import { loadCohort } from '../cohort/load-cohort.js';
import { defaultStoreDir, preprocessCohort } from '../cohort/preprocess-cohort.js';
import type { EvaluationResult, Prediction } from '../eval/evaluation-result.js';
import type { ModelPredictions } from '../eval/evaluate-models.js';
import { evaluateModels } from '../eval/evaluate-models.js';
import { writeReport } from '../eval/write-report.js';
import { loadCheckpoint } from '../model/index.js';
import { loadSamples } from './load-samples.js';
import { readoutCollector } from './measure-readouts.js';
import { predictSubjects } from './predict.js';
import { carriesReadouts, readTrainingMetadata } from './training-metadata.js';
import { rulePredictions } from './rule-predictions.js';

export interface EvaluateOptions {
  checkpoint: string;
  cohortDir: string;
  storeDir?: string;
  outDir?: string;
  seed: number;
}

/**
 * A trained checkpoint on a labelled cohort (no training): its P(malignant) for every usable
 * subject, encoded with the checkpoint's own clinical vocabulary, beside the clinical rules on the
 * same subjects, with bootstrap intervals and DeLong tests against the checkpoint's model. A
 * checkpoint trained with size or growth supervision also has its readouts scored against the
 * cohort's diameters.
 */
export async function evaluateCheckpoint(o: EvaluateOptions): Promise<{ evaluation: EvaluationResult; files: string[] }> {
  const loaded = loadCheckpoint(o.checkpoint);
  const storeDir = resolve(o.storeDir ?? defaultStoreDir(o.cohortDir));
  await preprocessCohort(o.cohortDir, { out: storeDir });
  const cohort = loadCohort(o.cohortDir);
  const data = loadSamples(cohort, storeDir, { schema: loaded.clinical });
  const name = loaded.model.config.model;
  const measured = carriesReadouts(readTrainingMetadata(loaded.metadata)) ? readoutCollector(loaded.model, 0) : null;
  const scored = predictSubjects(loaded.model, data.samples, 4, measured?.onTrace);
  const notes = data.skipped.map((s) => `Subject ${s.id} was left out: ${s.reason}.`);
  const readouts = measured?.rows ?? [];
  const models: ModelPredictions[] = [
    {
      name,
      predictions: data.samples.map((s, i): Prediction => ({ subjectId: s.id, fold: 0, label: s.label, score: scored.probabilities[i]! })),
      ...(readouts.length > 0 ? { readouts } : {}),
    },
    ...rulePredictions(data.samples.map((sample) => ({ sample, fold: 0 })), notes),
  ];
  const evaluation = evaluateModels(models, { title: `${name} (${o.checkpoint}) on ${cohort.dir}`, referenceModel: name, seed: o.seed, notes });
  const files = o.outDir ? await writeReport(evaluation, o.outDir) : [];
  return { evaluation, files };
}
