import type { Interval } from './bootstrap.js';
import type { EvaluationResult, ModelEvaluation } from './evaluation-result.js';
import type { ReadoutQuantity } from './readout-agreement.js';

/**
 * Shared wording of report.md and report.html: the columns of the paper's table (Acc, Prec, F1,
 * AUC, Rec, ../shared/docs/csf-net.md) followed by Spec, Brier and ECE, the number formats, and
 * the text of the method section. An undefined metric (NaN) prints as "n/a".
 */
export const TABLE_COLUMNS = [
  ['accuracy', 'Acc'],
  ['precision', 'Prec'],
  ['f1', 'F1'],
  ['auc', 'AUC'],
  ['recall', 'Rec'],
  ['specificity', 'Spec'],
  ['brier', 'Brier'],
  ['ece', 'ECE'],
] as const;

/** A value with 4 decimals, as the paper prints them; n/a when undefined. */
export function formatValue(v: number, digits = 4): string {
  return Number.isFinite(v) ? v.toFixed(digits) : 'n/a';
}

/** "0.8974 (0.851-0.933)": the value and its interval (3 decimals). */
export function formatInterval(iv: Interval): string {
  if (!Number.isFinite(iv.value)) return 'n/a';
  const ci = Number.isFinite(iv.lower) && Number.isFinite(iv.upper) ? ` (${iv.lower.toFixed(3)}–${iv.upper.toFixed(3)})` : '';
  return `${iv.value.toFixed(4)}${ci}`;
}

/** A p-value: 4 decimals, "< 0.0001" below that, n/a when undefined. */
export function formatP(p: number): string {
  if (!Number.isFinite(p)) return 'n/a';
  return p < 0.0001 ? '< 0.0001' : p.toFixed(4);
}

/** The DeLong cell of a model: "ΔAUC -0.0340, p = 0.2100", or "reference". */
export function formatDelong(m: ModelEvaluation): string {
  if (m.vsReference === null) return 'reference';
  const d = m.vsReference.delong;
  const sign = d.difference > 0 ? '+' : '';
  return `${Number.isFinite(d.difference) ? sign + d.difference.toFixed(4) : 'n/a'}, p ${formatP(d.p).startsWith('<') ? '' : '= '}${formatP(d.p)}`;
}

/** Sentences of the method section. */
export function methodText(r: EvaluationResult): string[] {
  const b = r.bootstrap;
  return [
    ...(r.training ? [`Networks: ${r.training}.`] : []),
    'Binary task, malignant = positive. A subject is called malignant when its score is above the model\'s threshold (0.5 on P(malignant) for networks, i.e. argmax with ties to benign).',
    `Intervals: ${Math.round(100 * b.level)}% percentile bootstrap, ${b.resamples} ${b.stratified ? 'class-stratified ' : ''}resamples, seed ${b.seed}.`,
    'AUC: Mann-Whitney with midranks (ties count one half). Brier score: mean squared error of the probability. ECE: ten equal-width probability bins. Brier, ECE and calibration apply to probabilities only.',
    `ΔAUC: this model's AUC minus ${r.referenceModel}'s on the subjects both scored, with the two-sided p of DeLong's paired test (DeLong et al. 1988; Sun & Xu 2014).`,
    'n/a marks an undefined metric (e.g. precision with no subject called malignant, AUC with one class only).',
  ];
}

const READOUT_LABELS: Readonly<Record<ReadoutQuantity, string>> = {
  'size-t0': 'size at T0, ln(d / 2 mm)',
  'size-t1': 'size at T1, ln(d / 2 mm)',
  growth: 'growth, ln(d_T1 / d_T0)',
};

/** Columns of the readout table: what a network measured against the annotations, out of fold. */
export const READOUT_COLUMNS = ['model', 'quantity', 'n', 'r with annotation', 'AUC of readout', 'AUC of annotation'] as const;

/** One row of cells per model and readout quantity; empty when no model carries readouts. */
export function readoutRows(r: EvaluationResult): string[][] {
  return r.models.flatMap((m) =>
    (m.readouts ?? []).map((a) => [
      m.name,
      READOUT_LABELS[a.quantity],
      String(a.n),
      Number.isFinite(a.pearson.value) ? `${a.pearson.value.toFixed(3)}${Number.isFinite(a.pearson.lower) ? ` (${a.pearson.lower.toFixed(3)}–${a.pearson.upper.toFixed(3)})` : ''}` : 'n/a',
      formatValue(a.aucReadout, 3),
      formatValue(a.aucAnnotated, 3),
    ]),
  );
}

/** What the readout table shows, under it. */
export function readoutText(r: EvaluationResult): string {
  return `Networks trained with size and growth supervision carry parameter-free readouts of the nodule's diameter and growth. Scored on the test folds against the cohort's diameters: Pearson r (${Math.round(100 * r.bootstrap.level)}% interval by Fisher's z), and the AUC of the readout and of the annotated value as malignancy scores on the same subjects.`;
}
