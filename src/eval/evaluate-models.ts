import { ConfigError, InputError } from '../util/errors.js';
import { Rng } from '../util/random.js';
import { bootstrapMetrics, DEFAULT_RESAMPLES } from './bootstrap.js';
import { checkLabelsScores } from './check-inputs.js';
import { confusionMatrix } from './confusion-matrix.js';
import { delongTest } from './delong.js';
import { readoutAgreement } from './readout-agreement.js';
import type { ReadoutPrediction } from './readout-agreement.js';
import type { EvaluationResult, FoldResult, MetricsWithIntervals, ModelEvaluation, Prediction, ReferenceComparison, TrainingCurve } from './evaluation-result.js';

/** One model's out-of-fold predictions, as the training code hands them over. */
export interface ModelPredictions {
  readonly name: string;
  readonly description?: string;
  readonly predictions: readonly Prediction[];
  /** Default 0.5 (P(malignant)); a rule passes its own (e.g. clinical-scores' CLINICAL_RULE_INFO). */
  readonly threshold?: number;
  readonly trainingCurves?: readonly TrainingCurve[];
  /** Out-of-fold size and growth readouts of a network trained to carry them. */
  readonly readouts?: readonly ReadoutPrediction[];
}

export interface EvaluateOptions {
  readonly title: string;
  readonly referenceModel: string;
  readonly seed: number;
  readonly resamples?: number;
  readonly level?: number;
  readonly stratified?: boolean;
  readonly notes?: readonly string[];
  /** How the networks were trained, one sentence for the report's method. */
  readonly training?: string;
}

/**
 * Builds the EvaluationResult of several models: pooled and per-fold metrics with percentile
 * bootstrap intervals (bootstrap.ts; each model and fold draws from its own stream forked from
 * `seed`, so adding a model does not change another's intervals), and DeLong's paired test of each
 * model against the reference on the subjects both scored. Models that scored fewer subjects than
 * the reference are named in the notes.
 */
export function evaluateModels(models: readonly ModelPredictions[], options: EvaluateOptions): EvaluationResult {
  const names = new Set<string>();
  for (const m of models) {
    if (names.has(m.name)) throw new ConfigError(`evaluateModels: model "${m.name}" appears twice`);
    names.add(m.name);
  }
  const reference = models.find((m) => m.name === options.referenceModel);
  if (reference === undefined) throw new ConfigError(`evaluateModels: reference model "${options.referenceModel}" is not among ${[...names].join(', ')}`);
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const level = options.level ?? 0.95;
  const stratified = options.stratified ?? true;
  const root = new Rng(options.seed);
  const refBySubject = bySubject(reference);
  const notes = [...(options.notes ?? [])];

  const evaluated = models.map((m): ModelEvaluation => {
    const threshold = m.threshold ?? 0.5;
    const mine = bySubject(m);
    const boot = (tag: string, preds: readonly Prediction[]): MetricsWithIntervals =>
      withIntervals(preds, threshold, { seed: root.fork(`${m.name}/${tag}`).seed, resamples, level, stratified });
    const folds = [...new Set(m.predictions.map((p) => p.fold))].sort((a, b) => a - b);
    const foldResults = folds.map((fold): FoldResult => ({ fold, ...boot(`fold ${fold}`, m.predictions.filter((p) => p.fold === fold)) }));
    let vsReference: ReferenceComparison | null = null;
    if (m !== reference) {
      const shared = [...mine.keys()].filter((id) => refBySubject.has(id)).sort();
      for (const id of shared) {
        if (mine.get(id)!.label !== refBySubject.get(id)!.label) {
          throw new InputError(`evaluateModels: subject ${id} has label ${mine.get(id)!.label} for ${m.name} but ${refBySubject.get(id)!.label} for ${reference.name}`, { rule: 'label-mismatch' });
        }
      }
      const labels = shared.map((id) => mine.get(id)!.label);
      const delong = delongTest(labels, shared.map((id) => mine.get(id)!.score), shared.map((id) => refBySubject.get(id)!.score));
      vsReference = { reference: reference.name, subjects: shared.length, delong };
      if (shared.length < refBySubject.size) {
        notes.push(`${m.name} scored ${mine.size} subjects, ${shared.length} of the ${refBySubject.size} that ${reference.name} scored; its DeLong test uses those ${shared.length}.`);
      }
    }
    return {
      name: m.name,
      ...(m.description === undefined ? {} : { description: m.description }),
      threshold,
      scoreKind: m.predictions.every((p) => p.score >= 0 && p.score <= 1) ? 'probability' : 'score',
      pooled: boot('pooled', m.predictions),
      folds: foldResults,
      predictions: m.predictions,
      vsReference,
      trainingCurves: m.trainingCurves ?? [],
      ...(m.readouts && m.readouts.length > 0 ? { readouts: readoutAgreement(m.readouts, level) } : {}),
    };
  });
  return { title: options.title, referenceModel: reference.name, bootstrap: { seed: options.seed, resamples, level, stratified }, models: evaluated, notes, ...(options.training ? { training: options.training } : {}) };
}

function bySubject(m: ModelPredictions): Map<string, Prediction> {
  const map = new Map<string, Prediction>();
  checkLabelsScores(`evaluateModels (${m.name})`, m.predictions.map((p) => p.label), m.predictions.map((p) => p.score));
  for (const p of m.predictions) {
    if (map.has(p.subjectId)) throw new InputError(`evaluateModels: ${m.name} predicts subject ${p.subjectId} twice`, { rule: 'duplicate-subject' });
    map.set(p.subjectId, p);
  }
  return map;
}

function withIntervals(preds: readonly Prediction[], threshold: number, boot: { seed: number; resamples: number; level: number; stratified: boolean }): MetricsWithIntervals {
  const labels = preds.map((p) => p.label);
  const scores = preds.map((p) => p.score);
  const cm = confusionMatrix(labels, scores, threshold);
  return { n: cm.total, positives: cm.tp + cm.fn, ...cm.counts(), metrics: bootstrapMetrics(labels, scores, { ...boot, threshold }) };
}
