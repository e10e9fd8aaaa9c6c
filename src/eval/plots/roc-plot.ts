import type { TopLevelSpec } from 'vega-lite';
import { PLOT_CONFIG, renderVegaLiteSvg } from './render-svg.js';

/** One model's ROC curve (points from roc.ts's rocCurve) and its AUC for the legend. */
export interface RocSeries {
  readonly name: string;
  readonly points: readonly { readonly fpr: number; readonly tpr: number }[];
  readonly auc?: number;
}

/**
 * ROC curves of several models on one plot, with the chance diagonal; the legend gives each AUC.
 * Returns an SVG string.
 */
export async function rocPlotSvg(series: readonly RocSeries[], options: { title?: string; idPrefix?: string } = {}): Promise<string> {
  const label = (s: RocSeries): string => (s.auc === undefined || Number.isNaN(s.auc) ? s.name : `${s.name} (AUC ${s.auc.toFixed(3)})`);
  const values = series.flatMap((s) => s.points.map((p, order) => ({ model: label(s), fpr: p.fpr, tpr: p.tpr, order })));
  const unit = { type: 'quantitative' as const, scale: { domain: [0, 1] } };
  const spec: TopLevelSpec = {
    title: options.title ?? 'ROC curves',
    width: 360,
    height: 360,
    config: PLOT_CONFIG,
    layer: [
      {
        data: { values: [{ x: 0, y: 0 }, { x: 1, y: 1 }] },
        mark: { type: 'line', color: '#999', strokeDash: [4, 4] },
        encoding: { x: { field: 'x', ...unit }, y: { field: 'y', ...unit } },
      },
      {
        data: { values },
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x: { field: 'fpr', ...unit, title: '1 - specificity (false-positive rate)' },
          y: { field: 'tpr', ...unit, title: 'sensitivity (true-positive rate)' },
          color: { field: 'model', type: 'nominal', title: 'model', sort: null },
          order: { field: 'order', type: 'quantitative' },
        },
      },
    ],
  };
  return renderVegaLiteSvg(spec, options.idPrefix ?? 'roc');
}
