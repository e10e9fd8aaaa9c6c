import type { TopLevelSpec } from 'vega-lite';
import { PLOT_CONFIG, renderVegaLiteSvg } from './render-svg.js';

type HConcatItem = Extract<TopLevelSpec, { hconcat: unknown }>['hconcat'][number];

/** Per-epoch training record of one fold; absent values are not drawn. */
export interface EpochRecord {
  readonly epoch: number;
  readonly trainLoss?: number;
  readonly valLoss?: number;
  readonly valAuc?: number;
}

export interface TrainingCurve {
  readonly fold: number;
  readonly epochs: readonly EpochRecord[];
}

/**
 * Training curves: loss (training and validation) and validation AUC per epoch, two panels side
 * by side, one colour per fold, solid for training and dashed for validation. Returns an SVG string.
 */
export async function trainingCurvesPlotSvg(curves: readonly TrainingCurve[], options: { title?: string; idPrefix?: string } = {}): Promise<string> {
  const rows: Array<{ fold: string; epoch: number; panel: string; series: string; value: number }> = [];
  for (const c of curves) {
    for (const e of c.epochs) {
      const fold = `fold ${c.fold}`;
      if (e.trainLoss !== undefined && Number.isFinite(e.trainLoss)) rows.push({ fold, epoch: e.epoch, panel: 'loss', series: 'training', value: e.trainLoss });
      if (e.valLoss !== undefined && Number.isFinite(e.valLoss)) rows.push({ fold, epoch: e.epoch, panel: 'loss', series: 'validation', value: e.valLoss });
      if (e.valAuc !== undefined && Number.isFinite(e.valAuc)) rows.push({ fold, epoch: e.epoch, panel: 'validation AUC', series: 'validation', value: e.valAuc });
    }
  }
  const panel = (name: string, yTitle: string): HConcatItem => ({
    width: 300,
    height: 240,
    title: name,
    transform: [{ filter: { field: 'panel', equal: name } }],
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch' },
      y: { field: 'value', type: 'quantitative', title: yTitle, scale: { zero: false } },
      color: { field: 'fold', type: 'nominal', title: 'fold' },
      strokeDash: { field: 'series', type: 'nominal', title: 'split', scale: { domain: ['training', 'validation'], range: [[1, 0], [5, 3]] } },
    },
  });
  const spec: TopLevelSpec = {
    title: options.title ?? 'Training curves',
    config: PLOT_CONFIG,
    data: { values: rows },
    hconcat: [panel('loss', 'loss'), panel('validation AUC', 'AUC')],
  };
  return renderVegaLiteSvg(spec, options.idPrefix ?? 'training');
}
