import type { MetricName } from './binary-metrics.js';
import type { Interval } from './bootstrap.js';
import type { Label } from './check-inputs.js';
import type { DelongResult } from './delong.js';
import type { TrainingCurve } from './plots/training-curves-plot.js';
import type { ReadoutAgreement } from './readout-agreement.js';

/**
 * The evaluation of several models on the same cross-validated subjects: what the report writer
 * turns into report.md and report.html, and what the training code fills (through
 * `evaluateModels` in evaluate-models.ts, or directly). Plain data only, JSON-serialisable apart
 * from NaN (an undefined metric) and Infinity (the first ROC threshold), which evaluation.json
 * writes as null.
 */
export type { Interval, Label, MetricName, TrainingCurve, DelongResult, ReadoutAgreement };
export type { EpochRecord } from './plots/training-curves-plot.js';

/** One out-of-fold prediction: the subject was in the test fold `fold` of this model's run. */
export interface Prediction {
  readonly subjectId: string;
  readonly fold: number;
  /** 1 malignant, 0 benign. */
  readonly label: Label;
  /** P(malignant) for a network; a rule's score (higher = more suspicious) otherwise. */
  readonly score: number;
}

/** Metrics of one set of subjects, each with its bootstrap interval, and the confusion counts. */
export interface MetricsWithIntervals {
  readonly n: number;
  readonly positives: number;
  readonly tp: number;
  readonly fp: number;
  readonly tn: number;
  readonly fn: number;
  readonly metrics: Readonly<Record<MetricName, Interval>>;
}

export interface FoldResult extends MetricsWithIntervals {
  readonly fold: number;
}

/** Paired DeLong test of this model's AUC against the reference model's, on their shared subjects. */
export interface ReferenceComparison {
  readonly reference: string;
  /** Subjects scored by both models. */
  readonly subjects: number;
  /** aucA = this model, aucB = the reference; difference = this - reference. */
  readonly delong: DelongResult;
}

export interface ModelEvaluation {
  readonly name: string;
  readonly description?: string;
  /** Called malignant when score > threshold. */
  readonly threshold: number;
  /** "probability" when every score lies in [0, 1] (Brier, ECE and calibration apply), else "score". */
  readonly scoreKind: 'probability' | 'score';
  /** All out-of-fold predictions pooled. */
  readonly pooled: MetricsWithIntervals;
  /** One entry per test fold, in fold order. */
  readonly folds: readonly FoldResult[];
  readonly predictions: readonly Prediction[];
  /** Null for the reference model itself. */
  readonly vsReference: ReferenceComparison | null;
  /** Per-fold loss/AUC per epoch, for trained models (empty for rules). */
  readonly trainingCurves: readonly TrainingCurve[];
  /** How its size and growth readouts agree with the annotations (networks trained with them only). */
  readonly readouts?: readonly ReadoutAgreement[];
}

export interface EvaluationResult {
  readonly title: string;
  /** The model every other one is compared with by DeLong's test (CSF-Net). */
  readonly referenceModel: string;
  readonly bootstrap: { readonly seed: number; readonly resamples: number; readonly level: number; readonly stratified: boolean };
  /** In table order. */
  readonly models: readonly ModelEvaluation[];
  /** Sentences the report prints under "Notes" (e.g. subjects a rule could not score). */
  readonly notes: readonly string[];
  /** How the networks were trained (src/train/describe-training.ts); absent for predictions made elsewhere. */
  readonly training?: string;
}
