import type { TopLevelSpec } from 'vega-lite';
import type { ConfusionCounts } from '../confusion-matrix.js';
import { PLOT_CONFIG, renderVegaLiteSvg } from './render-svg.js';

export interface NamedConfusion extends ConfusionCounts {
  readonly name: string;
}

/**
 * Confusion matrices, one panel per model: rows the true class, columns the predicted class,
 * cell shade and text the subject count. Returns an SVG string.
 */
export async function confusionMatrixPlotSvg(items: readonly NamedConfusion[], options: { title?: string; idPrefix?: string } = {}): Promise<string> {
  const values = items.flatMap((c) => [
    { model: c.name, actual: 'malignant', predicted: 'malignant', count: c.tp },
    { model: c.name, actual: 'malignant', predicted: 'benign', count: c.fn },
    { model: c.name, actual: 'benign', predicted: 'malignant', count: c.fp },
    { model: c.name, actual: 'benign', predicted: 'benign', count: c.tn },
  ]);
  const classes = ['malignant', 'benign'];
  const maxCount = Math.max(0, ...values.map((v) => v.count));
  const spec: TopLevelSpec = {
    title: options.title ?? 'Confusion matrices',
    config: PLOT_CONFIG,
    data: { values },
    facet: { field: 'model', type: 'nominal', title: null, sort: items.map((c) => c.name) },
    columns: 4,
    spec: {
      width: 140,
      height: 140,
      encoding: {
        x: { field: 'predicted', type: 'nominal', sort: classes, title: 'predicted', axis: { grid: false, labelAngle: 0 } },
        y: { field: 'actual', type: 'nominal', sort: classes, title: 'actual', axis: { grid: false } },
      },
      layer: [
        { mark: 'rect', encoding: { color: { field: 'count', type: 'quantitative', title: 'subjects', scale: { scheme: 'blues' } } } },
        {
          mark: { type: 'text', fontSize: 14 },
          encoding: {
            text: { field: 'count', type: 'quantitative' },
            // white text on the darker half of the colour scale
            color: { condition: { test: `datum.count > ${maxCount / 2}`, value: 'white' }, value: 'black' },
          },
        },
      ],
    },
  };
  return renderVegaLiteSvg(spec, options.idPrefix ?? 'confusion');
}
