import { checkLabelsScores } from './check-inputs.js';
import type { Label } from './check-inputs.js';

/**
 * Confusion-matrix counts at a decision threshold, and the metrics that follow from them.
 *
 * Decision rule: a subject is predicted malignant when score > threshold (strictly). With the
 * default 0.5 on P(malignant) this is argmax over the two softmax outputs with a tie going to
 * benign, as torch.argmax does (../shared/docs/csf-net.md, "Metrics").
 *
 * Undefined cases are NaN, never an exception: accuracy of nothing; precision with no predicted
 * positives (TP + FP = 0); recall with no positives (TP + FN = 0); specificity with no negatives
 * (TN + FP = 0); F1 = 2TP / (2TP + FP + FN) is NaN only when there is neither a positive nor a
 * predicted positive (otherwise it is defined, and 0 when TP = 0).
 */
export interface ConfusionCounts {
  readonly tp: number;
  readonly fp: number;
  readonly tn: number;
  readonly fn: number;
}

export interface ThresholdMetrics {
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly specificity: number;
  readonly f1: number;
}

/** A running confusion matrix: add subjects one at a time or in batches, merge across folds. */
export class ConfusionMatrix implements ConfusionCounts {
  tp = 0;
  fp = 0;
  tn = 0;
  fn = 0;

  constructor(readonly threshold = 0.5) {
    if (!Number.isFinite(threshold)) throw new RangeError(`ConfusionMatrix: threshold must be finite, got ${threshold}`);
  }

  /** Adds one subject. */
  add(label: Label, score: number): this {
    checkLabelsScores('ConfusionMatrix.add', [label], [score]);
    return this.count(label, score);
  }

  /** Adds many subjects. */
  addAll(labels: readonly number[], scores: readonly number[]): this {
    checkLabelsScores('ConfusionMatrix.addAll', labels, scores);
    for (let i = 0; i < labels.length; i++) this.count(labels[i] as Label, scores[i]!);
    return this;
  }

  private count(label: Label, score: number): this {
    const predicted = score > this.threshold;
    if (label === 1) {
      if (predicted) this.tp++;
      else this.fn++;
    } else if (predicted) {
      this.fp++;
    } else {
      this.tn++;
    }
    return this;
  }

  /** Adds another matrix's counts (same threshold), e.g. to pool folds. */
  merge(other: ConfusionMatrix): this {
    if (other.threshold !== this.threshold) {
      throw new RangeError(`ConfusionMatrix.merge: thresholds differ (${this.threshold} and ${other.threshold})`);
    }
    this.tp += other.tp;
    this.fp += other.fp;
    this.tn += other.tn;
    this.fn += other.fn;
    return this;
  }

  get total(): number {
    return this.tp + this.fp + this.tn + this.fn;
  }

  counts(): ConfusionCounts {
    return { tp: this.tp, fp: this.fp, tn: this.tn, fn: this.fn };
  }

  metrics(): ThresholdMetrics {
    return metricsFromCounts(this);
  }
}

/** Accuracy, precision, recall, specificity and F1 from counts (NaN rules in the file docstring). */
export function metricsFromCounts(c: ConfusionCounts): ThresholdMetrics {
  const ratio = (a: number, b: number): number => (b === 0 ? Number.NaN : a / b);
  return {
    accuracy: ratio(c.tp + c.tn, c.tp + c.fp + c.tn + c.fn),
    precision: ratio(c.tp, c.tp + c.fp),
    recall: ratio(c.tp, c.tp + c.fn),
    specificity: ratio(c.tn, c.tn + c.fp),
    f1: ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn),
  };
}

/** The confusion matrix of labels and scores at a threshold. */
export function confusionMatrix(labels: readonly number[], scores: readonly number[], threshold = 0.5): ConfusionMatrix {
  return new ConfusionMatrix(threshold).addAll(labels, scores);
}

/** Fraction of subjects classified correctly at the threshold. */
export function accuracy(labels: readonly number[], scores: readonly number[], threshold = 0.5): number {
  return confusionMatrix(labels, scores, threshold).metrics().accuracy;
}

/** TP / (TP + FP): of those called malignant, the fraction that are. */
export function precision(labels: readonly number[], scores: readonly number[], threshold = 0.5): number {
  return confusionMatrix(labels, scores, threshold).metrics().precision;
}

/** TP / (TP + FN), the sensitivity. */
export function recall(labels: readonly number[], scores: readonly number[], threshold = 0.5): number {
  return confusionMatrix(labels, scores, threshold).metrics().recall;
}

/** TN / (TN + FP). */
export function specificity(labels: readonly number[], scores: readonly number[], threshold = 0.5): number {
  return confusionMatrix(labels, scores, threshold).metrics().specificity;
}

/** 2TP / (2TP + FP + FN), the harmonic mean of precision and recall where both are defined. */
export function f1Score(labels: readonly number[], scores: readonly number[], threshold = 0.5): number {
  return confusionMatrix(labels, scores, threshold).metrics().f1;
}
