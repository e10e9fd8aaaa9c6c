import { reliabilityBins } from './calibration.js';
import type { EvaluationResult } from './evaluation-result.js';
import { calibrationPlotSvg } from './plots/calibration-plot.js';
import { confusionMatrixPlotSvg } from './plots/confusion-matrix-plot.js';
import { rocPlotSvg } from './plots/roc-plot.js';
import { trainingCurvesPlotSvg } from './plots/training-curves-plot.js';
import { rocCurve } from './roc.js';

/** One figure of the report: its file name beside report.md, caption and SVG text. */
export interface ReportFigure {
  readonly file: string;
  readonly caption: string;
  readonly svg: string;
}

/**
 * The figures of a report: ROC curves of every model (pooled out-of-fold predictions), the
 * calibration plot of the probability models, the pooled confusion matrices, and one training-curve
 * figure per model that has curves.
 */
export async function reportFigures(r: EvaluationResult): Promise<ReportFigure[]> {
  const figures: ReportFigure[] = [];
  const curve = (m: (typeof r.models)[number]) => {
    const labels = m.predictions.map((p) => p.label);
    const scores = m.predictions.map((p) => p.score);
    return { labels, scores };
  };
  figures.push({
    file: 'roc.svg',
    caption: 'ROC curves of the pooled out-of-fold predictions',
    svg: await rocPlotSvg(
      r.models.map((m) => {
        const { labels, scores } = curve(m);
        return { name: m.name, points: rocCurve(labels, scores), auc: m.pooled.metrics.auc.value };
      }),
      { idPrefix: 'roc' },
    ),
  });
  const probabilistic = r.models.filter((m) => m.scoreKind === 'probability');
  if (probabilistic.length > 0) {
    figures.push({
      file: 'calibration.svg',
      caption: 'Calibration (reliability) of the models that output probabilities, ten equal-width bins',
      svg: await calibrationPlotSvg(
        probabilistic.map((m) => {
          const { labels, scores } = curve(m);
          return { name: m.name, bins: reliabilityBins(labels, scores) };
        }),
        { idPrefix: 'calibration' },
      ),
    });
  }
  figures.push({
    file: 'confusion.svg',
    caption: 'Confusion matrices of the pooled out-of-fold predictions at each model\'s threshold',
    svg: await confusionMatrixPlotSvg(r.models.map((m) => ({ name: m.name, tp: m.pooled.tp, fp: m.pooled.fp, tn: m.pooled.tn, fn: m.pooled.fn })), { idPrefix: 'confusion' }),
  });
  for (const [i, m] of r.models.entries()) {
    if (m.trainingCurves.length === 0) continue;
    figures.push({
      file: `training-${i + 1}.svg`,
      caption: `Training curves of ${m.name}`,
      svg: await trainingCurvesPlotSvg(m.trainingCurves, { title: `Training curves: ${m.name}`, idPrefix: `training-${i + 1}` }),
    });
  }
  return figures;
}
