import type { TopLevelSpec } from 'vega-lite';
import type { ReliabilityBin } from '../calibration.js';
import { PLOT_CONFIG, renderVegaLiteSvg } from './render-svg.js';

/** One model's reliability bins (calibration.ts's reliabilityBins). */
export interface CalibrationSeries {
  readonly name: string;
  readonly bins: readonly ReliabilityBin[];
}

/**
 * Calibration (reliability) plot: observed fraction malignant against mean predicted probability
 * per bin, one line per model, point area by the bin's subject count, with the diagonal of perfect
 * calibration. Empty bins are not drawn. Returns an SVG string.
 */
export async function calibrationPlotSvg(series: readonly CalibrationSeries[], options: { title?: string; idPrefix?: string } = {}): Promise<string> {
  const values = series.flatMap((s) => s.bins.filter((b) => b.count > 0).map((b) => ({ model: s.name, predicted: b.meanPredicted, observed: b.observed, count: b.count })));
  const unit = { type: 'quantitative' as const, scale: { domain: [0, 1] } };
  const encoding = {
    x: { field: 'predicted', ...unit, title: 'mean predicted probability' },
    y: { field: 'observed', ...unit, title: 'observed fraction malignant' },
    color: { field: 'model', type: 'nominal' as const, title: 'model', sort: null },
  };
  const spec: TopLevelSpec = {
    title: options.title ?? 'Calibration',
    width: 360,
    height: 360,
    config: PLOT_CONFIG,
    layer: [
      {
        data: { values: [{ x: 0, y: 0 }, { x: 1, y: 1 }] },
        mark: { type: 'line', color: '#999', strokeDash: [4, 4] },
        encoding: { x: { field: 'x', ...unit }, y: { field: 'y', ...unit } },
      },
      { data: { values }, mark: { type: 'line', strokeWidth: 1.5 }, encoding },
      { data: { values }, mark: { type: 'point', filled: true }, encoding: { ...encoding, size: { field: 'count', type: 'quantitative', title: 'subjects in bin' } } },
    ],
  };
  return renderVegaLiteSvg(spec, options.idPrefix ?? 'calibration');
}
