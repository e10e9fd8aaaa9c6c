import { InputError } from '../util/errors.js';

/** Binary labels: 1 malignant (positive), 0 benign. */
export type Label = 0 | 1;

/**
 * Checks that labels and scores can be scored together: same length, labels 0 or 1, scores finite
 * numbers. Throws an InputError naming the function and the first offending index; empty arrays
 * pass (the metrics of an empty set are NaN, not an error).
 */
export function checkLabelsScores(fn: string, labels: readonly number[], scores: readonly number[]): void {
  if (labels.length !== scores.length) {
    throw new InputError(`${fn}: ${labels.length} labels but ${scores.length} scores`, { rule: 'length-mismatch' });
  }
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y !== 0 && y !== 1) throw new InputError(`${fn}: label ${i} is ${String(y)}, must be 0 or 1`, { rule: 'bad-label' });
    const s = scores[i]!;
    if (!Number.isFinite(s)) throw new InputError(`${fn}: score ${i} is ${String(s)}, must be a finite number`, { rule: 'bad-score' });
  }
}
