import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { EvaluationResult } from './evaluation-result.js';
import { reportFigures } from './report-plots.js';
import { reportHtml } from './report-html.js';
import { reportMarkdown } from './report-markdown.js';

/**
 * Writes an evaluation into `dir`, every file atomically (temporary name, then rename):
 * report.md (figures linked as the SVG files beside it), report.html (self-contained, figures
 * inline), the SVG figures, predictions.csv (model, subject_id, fold, label, score) and
 * evaluation.json (the EvaluationResult; NaN and Infinity written as null).
 * Returns the paths written.
 */
export async function writeReport(result: EvaluationResult, dir: string): Promise<string[]> {
  const figures = await reportFigures(result);
  const files: Array<[string, string]> = [
    ['report.md', reportMarkdown(result, figures)],
    ['report.html', reportHtml(result, figures)],
    ...figures.map((f): [string, string] => [f.file, f.svg]),
    ['predictions.csv', predictionsCsv(result)],
    ['evaluation.json', `${JSON.stringify(result, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`],
  ];
  const written: string[] = [];
  for (const [name, text] of files) {
    const path = join(dir, name);
    writeFileAtomic(path, text);
    written.push(path);
  }
  return written;
}

/** Every model's out-of-fold predictions as CSV (RFC 4180 quoting). */
export function predictionsCsv(result: EvaluationResult): string {
  const lines = ['model,subject_id,fold,label,score'];
  for (const m of result.models) {
    for (const p of m.predictions) lines.push([csvField(m.name), csvField(p.subjectId), p.fold, p.label, p.score].join(','));
  }
  return `${lines.join('\n')}\n`;
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
