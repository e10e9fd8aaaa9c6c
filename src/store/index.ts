/** The SQLite registry of runs, folds, per-epoch metrics and out-of-fold predictions. */
export { Registry } from './registry.js';
export type { RunRow, RunDetail, RunStatus, FoldRow, EpochRow, MetricRow, PredictionRow } from './registry.js';
export { defaultRegistryPath } from './registry-path.js';
