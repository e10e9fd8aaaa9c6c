import type { Prediction, TrainingCurve } from '../eval/evaluation-result.js';
import type { ModelPredictions } from '../eval/evaluate-models.js';
import type { FusedPooling, ModelName, PatchNormalization, VariantName } from '../model/index.js';
import { configFor, CsfNet, MODEL_PARTS } from '../model/index.js';
import type { Registry } from '../store/index.js';
import { Rng } from '../util/random.js';
import type { ReadoutPrediction } from '../eval/readout-agreement.js';
import { readoutCollector } from './measure-readouts.js';
import { predictSubjects } from './predict.js';
import { rulePredictions } from './rule-predictions.js';
import { supervisesReadouts } from './size-supervision.js';
import type { SubjectSample } from './sample.js';
import type { FoldSplit } from './splits.js';
import { crossValidationSplits } from './splits.js';
import type { EpochMetrics, TrainHooks, TrainOptions } from './trainer.js';
import { trainModel } from './trainer.js';

export interface CvOptions {
  folds: number;
  seed: number;
  variant: VariantName;
  models: readonly ModelName[];
  /** Score the clinical rules (Brock, Mayo, Lung-RADS, VDT, PLCOm2012) on the same test folds. */
  rules: boolean;
  /** Category count of each clinical column, in the order of the samples' clinical indices. */
  categories: readonly number[];
  validationFraction: number;
  /** What the encoder does to the windowed patches (part of each model's config). */
  normalization: PatchNormalization;
  /** How the fused map is pooled (part of each model's config); default 'global', the paper. */
  pooling?: FusedPooling;
  train: Omit<TrainOptions, 'seed' | 'statePath' | 'resume'>;
}

export interface CvHooks {
  onModelFold?: (info: { model: string; fold: number; folds: number; index: number; total: number }) => void;
  onEpoch?: (info: { model: string; fold: number } & EpochMetrics & { best: boolean; epochs: number }) => void;
  onBatch?: TrainHooks['onBatch'];
}

export interface CvResult {
  splits: FoldSplit[];
  models: ModelPredictions[];
  notes: string[];
}

/** Where a run is recorded, if anywhere. */
export interface CvLog {
  registry: Registry;
  runId: number;
}

/** Which subjects a model can use: it needs T0 and/or T1 patches according to its parts. */
function usable(model: ModelName, s: SubjectSample): boolean {
  const p = MODEL_PARTS[model];
  return (!p.t0 || s.t0 !== null) && (!p.image || s.t1 !== null);
}

/**
 * Patient-grouped, stratified k-fold cross-validation of every model on the same folds. In each
 * fold each network is trained from a fresh seeded initialisation on the training part, its epoch
 * chosen on a validation split carved from the training part, and scored on the untouched test
 * fold; the clinical rules need no training and are scored on the same test folds. Subjects a model
 * cannot use (missing time point, missing rule inputs) are left out of that model only, and named
 * in the notes.
 */
export function crossValidate(samples: readonly SubjectSample[], options: CvOptions, hooks: CvHooks = {}, log?: CvLog): CvResult {
  const labels = samples.map((s) => s.label);
  const splits = crossValidationSplits(labels, options.folds, options.seed, options.validationFraction);
  const notes: string[] = [];
  const results: ModelPredictions[] = [];
  const total = options.models.length * splits.length;
  let index = 0;
  const supervised = supervisesReadouts(options.train);
  for (const name of options.models) {
    const predictions: Prediction[] = [];
    const curves: TrainingCurve[] = [];
    const readouts: ReadoutPrediction[] = [];
    const left = samples.filter((s) => !usable(name, s)).map((s) => s.id);
    if (left.length > 0) notes.push(`${name} left out ${left.length} subject(s) without the time points it needs: ${left.slice(0, 10).join(', ')}${left.length > 10 ? ', ...' : ''}.`);
    for (const split of splits) {
      hooks.onModelFold?.({ model: name, fold: split.fold, folds: splits.length, index: index++, total });
      const pick = (idx: readonly number[]): SubjectSample[] => idx.map((i) => samples[i]!).filter((s) => usable(name, s));
      const [train, val, test] = [pick(split.train), pick(split.validation), pick(split.test)];
      const seed = new Rng(options.seed).fork(`${name} fold ${split.fold}`).nextUint32();
      const model = new CsfNet(configFor(options.variant, name, options.categories, options.normalization, options.pooling), seed);
      const started = performance.now();
      const result = trainModel(model, train, val, { ...options.train, seed, statePath: null, resume: false }, {
        onBatch: hooks.onBatch,
        onEpoch: (e) => {
          hooks.onEpoch?.({ model: name, fold: split.fold, ...e });
          log?.registry.addEpoch(log.runId, { model: name, fold: split.fold, ...e });
        },
      });
      const measured = supervised ? readoutCollector(model, split.fold) : null;
      const scored = predictSubjects(model, test, options.train.batchSize, measured?.onTrace);
      const foldPredictions = test.map((s, i): Prediction => ({ subjectId: s.id, fold: split.fold, label: s.label, score: scored.probabilities[i]! }));
      predictions.push(...foldPredictions);
      if (measured) readouts.push(...measured.rows);
      curves.push({ fold: split.fold, epochs: result.history });
      log?.registry.addFold(log.runId, { model: name, fold: split.fold, bestEpoch: result.bestEpoch, nTrain: train.length, nValidation: val.length, nTest: test.length, seconds: (performance.now() - started) / 1000 });
      log?.registry.addPredictions(log.runId, foldPredictions.map((p) => ({ model: name, fold: p.fold, subjectId: p.subjectId, label: p.label, score: p.score })));
    }
    results.push({ name, description: MODEL_PARTS[name].description, predictions, trainingCurves: curves, ...(readouts.length > 0 ? { readouts } : {}) });
  }
  if (options.rules) {
    const rules = rulePredictions(splits.flatMap((split) => split.test.map((i) => ({ sample: samples[i]!, fold: split.fold }))), notes);
    for (const r of rules) log?.registry.addPredictions(log.runId, r.predictions.map((p) => ({ model: r.name, fold: p.fold, subjectId: p.subjectId, label: p.label, score: p.score })));
    results.push(...rules);
  }
  return { splits, models: results, notes };
}
