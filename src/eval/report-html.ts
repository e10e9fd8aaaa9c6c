import type { EvaluationResult, MetricsWithIntervals } from './evaluation-result.js';
import type { ReportFigure } from './report-plots.js';
import { formatDelong, formatInterval, methodText, READOUT_COLUMNS, readoutRows, readoutText, TABLE_COLUMNS } from './report-format.js';

/**
 * report.html: the content of report.md as one self-contained page (inline CSS, the SVG figures
 * inline, no script, no external resource), so it opens offline and can be mailed as one file.
 */
export function reportHtml(r: EvaluationResult, figures: readonly ReportFigure[]): string {
  const metricCells = (m: MetricsWithIntervals): string => TABLE_COLUMNS.map(([key]) => `<td>${esc(formatInterval(m.metrics[key]))}</td>`).join('');
  const head = (first: string[], last: string[]): string =>
    `<tr>${[...first, ...TABLE_COLUMNS.map(([, label]) => label), ...last].map((c) => `<th>${esc(c)}</th>`).join('')}</tr>`;

  const pooledRows = r.models
    .map((m) => `<tr><th scope="row">${esc(m.name)}</th><td>${m.pooled.n} (${m.pooled.positives})</td>${metricCells(m.pooled)}<td>${esc(formatDelong(m))}</td></tr>`)
    .join('\n');
  const foldTables = r.models
    .map((m) => {
      const rows = m.folds.map((f) => `<tr><td>${f.fold}</td><td>${f.n} (${f.positives})</td>${metricCells(f)}</tr>`).join('\n');
      return `<h3>${esc(m.name)}</h3>\n<table>\n${head(['fold', 'n (malignant)'], [])}\n${rows}\n</table>`;
    })
    .join('\n');
  const confusionRows = r.models
    .map((m) => `<tr><th scope="row">${esc(m.name)}</th><td>score &gt; ${m.threshold}</td><td>${m.pooled.tp}</td><td>${m.pooled.fn}</td><td>${m.pooled.fp}</td><td>${m.pooled.tn}</td></tr>`)
    .join('\n');
  const readouts = readoutRows(r);
  const readoutHtml =
    readouts.length === 0
      ? ''
      : `<h2>What the networks measured</h2>\n<table>\n<tr>${READOUT_COLUMNS.map((c) => `<th>${esc(c)}</th>`).join('')}</tr>\n${readouts
          .map(([model, ...rest]) => `<tr><th scope="row">${esc(model!)}</th>${rest.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
          .join('\n')}\n</table>\n<p>${esc(readoutText(r))}</p>\n`;
  const figureHtml = figures.map((f) => `<figure>\n${f.svg}\n<figcaption>${esc(f.caption)}</figcaption>\n</figure>`).join('\n');
  const described = r.models.filter((m) => m.description !== undefined);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(r.title)}</title>
<style>
body { font-family: Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1200px; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: right; white-space: nowrap; }
th[scope="row"], th:first-child { text-align: left; }
tr:nth-child(even) td { background: #f6f6f6; }
figure { margin: 1em 0 2em; }
figcaption { color: #555; font-size: 0.9em; }
</style>
</head>
<body>
<h1>${esc(r.title)}</h1>
<h2>Pooled out-of-fold results</h2>
<table>
${head(['model', 'n (malignant)'], [`ΔAUC vs ${r.referenceModel}`])}
${pooledRows}
</table>
<p>Each cell: value (${Math.round(100 * r.bootstrap.level)}% bootstrap interval).</p>
${readoutHtml}<h2>Figures</h2>
${figureHtml}
<h2>Per fold</h2>
${foldTables}
<h2>Confusion matrices (pooled)</h2>
<table>
<tr><th>model</th><th>threshold</th><th>TP</th><th>FN</th><th>FP</th><th>TN</th></tr>
${confusionRows}
</table>
<h2>Method</h2>
<ul>
${methodText(r).map((s) => `<li>${esc(s)}</li>`).join('\n')}
</ul>
${described.length > 0 ? `<h2>Models</h2>\n<ul>\n${described.map((m) => `<li><strong>${esc(m.name)}</strong>: ${esc(m.description!)}</li>`).join('\n')}\n</ul>` : ''}
${r.notes.length > 0 ? `<h2>Notes</h2>\n<ul>\n${r.notes.map((n) => `<li>${esc(n)}</li>`).join('\n')}\n</ul>` : ''}
</body>
</html>
`;
}

/** Escapes text for HTML element content and attribute values. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
