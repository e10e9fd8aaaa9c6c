import { brierScore, expectedCalibrationError } from './calibration.js';
import { confusionMatrix } from './confusion-matrix.js';
import type { ConfusionCounts } from './confusion-matrix.js';
import { rocAuc } from './roc.js';

/**
 * Every metric of the CSF-Net evaluation for one set of subjects (../shared/docs/csf-net.md,
 * "Metrics"): binary, malignant = positive, threshold on P(malignant) (default 0.5, strict >).
 * NaN marks an undefined metric (rules in confusion-matrix.ts, roc.ts and calibration.ts).
 */
export const METRIC_NAMES = ['accuracy', 'precision', 'recall', 'specificity', 'f1', 'auc', 'brier', 'ece'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export type MetricValues = Readonly<Record<MetricName, number>>;

export interface MetricSet extends ConfusionCounts {
  readonly n: number;
  readonly positives: number;
  readonly values: MetricValues;
}

/** All metrics of labels and scores at a threshold. */
export function binaryMetrics(labels: readonly number[], scores: readonly number[], threshold = 0.5): MetricSet {
  const cm = confusionMatrix(labels, scores, threshold);
  const t = cm.metrics();
  return {
    ...cm.counts(),
    n: cm.total,
    positives: cm.tp + cm.fn,
    values: {
      accuracy: t.accuracy,
      precision: t.precision,
      recall: t.recall,
      specificity: t.specificity,
      f1: t.f1,
      auc: rocAuc(labels, scores),
      brier: brierScore(labels, scores),
      ece: expectedCalibrationError(labels, scores),
    },
  };
}
