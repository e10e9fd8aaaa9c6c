import type { EvaluationResult } from '../eval/evaluation-result.js';
import { formatDelong, formatInterval, READOUT_COLUMNS, readoutRows, TABLE_COLUMNS } from '../eval/report-format.js';

/**
 * The comparison as plain-text tables for the terminal: one row per model with the pooled
 * out-of-fold metrics, then, where networks were trained with size and growth supervision, what
 * their readouts measured.
 */
export function resultTable(r: EvaluationResult): string {
  const columns = TABLE_COLUMNS.filter(([key]) => key !== 'brier' && key !== 'ece');
  const header = ['model', 'n', ...columns.map(([, label]) => label), `vs ${r.referenceModel} (dAUC, DeLong p)`];
  const rows = r.models.map((m) => [m.name, String(m.pooled.n), ...columns.map(([key]) => formatInterval(m.pooled.metrics[key])), formatDelong(m)]);
  const readouts = readoutRows(r);
  const tables = [textTable(header, rows)];
  if (readouts.length > 0) tables.push(`What the networks measured (out of fold, against the annotated diameters):\n${textTable([...READOUT_COLUMNS], readouts)}`);
  return tables.join('\n\n');
}

function textTable(header: readonly string[], rows: readonly string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** One JSON-friendly object per model: pooled metrics with intervals and the DeLong comparison. */
export function resultJson(r: EvaluationResult): Record<string, unknown> {
  const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);
  return {
    reference: r.referenceModel,
    ...(r.training ? { training: r.training } : {}),
    models: Object.fromEntries(
      r.models.map((m) => [
        m.name,
        {
          n: m.pooled.n,
          positives: m.pooled.positives,
          metrics: Object.fromEntries(Object.entries(m.pooled.metrics).map(([k, iv]) => [k, { value: finite(iv.value), lower: finite(iv.lower), upper: finite(iv.upper) }])),
          vs_reference: m.vsReference ? { delta_auc: finite(m.vsReference.delong.difference), p: finite(m.vsReference.delong.p), subjects: m.vsReference.subjects } : null,
          ...(m.readouts
            ? {
                readouts: Object.fromEntries(
                  m.readouts.map((a) => [a.quantity, { n: a.n, pearson: { value: finite(a.pearson.value), lower: finite(a.pearson.lower), upper: finite(a.pearson.upper) }, auc_readout: finite(a.aucReadout), auc_annotated: finite(a.aucAnnotated) }]),
                ),
              }
            : {}),
        },
      ]),
    ),
    notes: r.notes,
  };
}
