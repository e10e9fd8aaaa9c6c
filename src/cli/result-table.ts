import type { EvaluationResult } from '../eval/evaluation-result.js';
import { formatDelong, formatInterval, TABLE_COLUMNS } from '../eval/report-format.js';

/** The comparison as a plain-text table for the terminal: one row per model, pooled out-of-fold metrics. */
export function resultTable(r: EvaluationResult): string {
  const columns = TABLE_COLUMNS.filter(([key]) => key !== 'brier' && key !== 'ece');
  const header = ['model', 'n', ...columns.map(([, label]) => label), `vs ${r.referenceModel} (dAUC, DeLong p)`];
  const rows = r.models.map((m) => [m.name, String(m.pooled.n), ...columns.map(([key]) => formatInterval(m.pooled.metrics[key])), formatDelong(m)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** One JSON-friendly object per model: pooled metrics with intervals and the DeLong comparison. */
export function resultJson(r: EvaluationResult): Record<string, unknown> {
  const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);
  return {
    reference: r.referenceModel,
    models: Object.fromEntries(
      r.models.map((m) => [
        m.name,
        {
          n: m.pooled.n,
          positives: m.pooled.positives,
          metrics: Object.fromEntries(Object.entries(m.pooled.metrics).map(([k, iv]) => [k, { value: finite(iv.value), lower: finite(iv.lower), upper: finite(iv.upper) }])),
          vs_reference: m.vsReference ? { delta_auc: finite(m.vsReference.delong.difference), p: finite(m.vsReference.delong.p), subjects: m.vsReference.subjects } : null,
        },
      ]),
    ),
    notes: r.notes,
  };
}
