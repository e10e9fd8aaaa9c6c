import type { EvaluationResult, MetricsWithIntervals } from './evaluation-result.js';
import type { ReportFigure } from './report-plots.js';
import { formatDelong, formatInterval, methodText, READOUT_COLUMNS, readoutRows, readoutText, TABLE_COLUMNS } from './report-format.js';

/**
 * report.md: the pooled table (paper columns plus Spec, Brier, ECE and DeLong's ΔAUC against the
 * reference), the readout table of networks trained with size and growth supervision, per-fold
 * tables, confusion counts, the figures (linked SVG files beside the report) and the method and
 * notes.
 */
export function reportMarkdown(r: EvaluationResult, figures: readonly ReportFigure[]): string {
  const out: string[] = [`# ${cell(r.title)}`, ''];
  const head = (first: string[], last: string[]): string[] => {
    const cols = [...first, ...TABLE_COLUMNS.map(([, label]) => label), ...last];
    return [`| ${cols.join(' | ')} |`, `|${cols.map(() => ' --- ').join('|')}|`];
  };
  const metricCells = (m: MetricsWithIntervals): string[] => TABLE_COLUMNS.map(([key]) => formatInterval(m.metrics[key]));

  out.push('## Pooled out-of-fold results', '', ...head(['model', 'n (malignant)'], [`ΔAUC vs ${cell(r.referenceModel)}`]));
  for (const m of r.models) {
    out.push(`| ${cell(m.name)} | ${m.pooled.n} (${m.pooled.positives}) | ${metricCells(m.pooled).join(' | ')} | ${formatDelong(m)} |`);
  }
  out.push('', `Each cell: value (${Math.round(100 * r.bootstrap.level)}% bootstrap interval).`, '');

  const readouts = readoutRows(r);
  if (readouts.length > 0) {
    out.push('## What the networks measured', '', `| ${READOUT_COLUMNS.join(' | ')} |`, `|${READOUT_COLUMNS.map(() => ' --- ').join('|')}|`);
    for (const row of readouts) out.push(`| ${row.map(cell).join(' | ')} |`);
    out.push('', readoutText(r), '');
  }

  out.push('## Per fold', '');
  for (const m of r.models) {
    out.push(`### ${cell(m.name)}`, '', ...head(['fold', 'n (malignant)'], []));
    for (const f of m.folds) out.push(`| ${f.fold} | ${f.n} (${f.positives}) | ${metricCells(f).join(' | ')} |`);
    out.push('');
  }

  out.push('## Confusion matrices (pooled)', '', '| model | threshold | TP | FN | FP | TN |', '| --- | --- | --- | --- | --- | --- |');
  for (const m of r.models) out.push(`| ${cell(m.name)} | score > ${m.threshold} | ${m.pooled.tp} | ${m.pooled.fn} | ${m.pooled.fp} | ${m.pooled.tn} |`);
  out.push('');

  out.push('## Figures', '');
  for (const f of figures) out.push(`![${cell(f.caption)}](${f.file})`, '');

  out.push('## Method', '', ...methodText(r).map((s) => `- ${s}`), '');
  const described = r.models.filter((m) => m.description !== undefined);
  if (described.length > 0) out.push('## Models', '', ...described.map((m) => `- **${cell(m.name)}**: ${cell(m.description!)}`), '');
  if (r.notes.length > 0) out.push('## Notes', '', ...r.notes.map((n) => `- ${cell(n)}`), '');
  out.push('Out-of-fold predictions: predictions.csv; everything above as data: evaluation.json.', '');
  return out.join('\n');
}

/** Text safe inside a Markdown table cell or heading. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}
