import { ConfigError } from '../util/errors.js';
import { Rng } from '../util/random.js';

/** One fold of a cross-validation: indices into the subject list. */
export interface FoldSplit {
  readonly fold: number;
  readonly train: readonly number[];
  readonly validation: readonly number[];
  readonly test: readonly number[];
}

/**
 * Stratified k-fold over subjects, seeded: each class is shuffled and dealt round-robin to the
 * folds, so folds differ in size by at most one per class. Every index is one subject, so the
 * split is grouped by subject by construction (a subject's scans never sit in two folds).
 */
export function stratifiedFolds(labels: readonly number[], k: number, seed: number): number[][] {
  if (!Number.isInteger(k) || k < 2) throw new ConfigError(`folds must be an integer >= 2, got ${k}`);
  const folds: number[][] = Array.from({ length: k }, () => []);
  const rng = new Rng(seed).fork('folds');
  let offset = 0;
  for (const cls of [...new Set(labels)].sort()) {
    const members = rng.shuffle(labels.flatMap((l, i) => (l === cls ? [i] : [])));
    members.forEach((idx, j) => folds[(offset + j) % k]!.push(idx));
    offset += members.length;
  }
  if (folds.some((f) => f.length === 0)) throw new ConfigError(`${labels.length} subjects are too few for ${k} folds`);
  return folds.map((f) => f.sort((a, b) => a - b));
}

/**
 * A stratified hold-out of `fraction` of `indices` (at least one per class when the class has two
 * or more members), seeded; returns [rest, held out].
 */
export function stratifiedHoldout(indices: readonly number[], labels: readonly number[], fraction: number, seed: number): [number[], number[]] {
  const rng = new Rng(seed).fork('holdout');
  const rest: number[] = [];
  const held: number[] = [];
  for (const cls of [...new Set(indices.map((i) => labels[i]!))].sort()) {
    const members = rng.shuffle(indices.filter((i) => labels[i] === cls));
    const n = members.length >= 2 ? Math.max(1, Math.round(members.length * fraction)) : 0;
    held.push(...members.slice(0, n));
    rest.push(...members.slice(n));
  }
  return [rest.sort((a, b) => a - b), held.sort((a, b) => a - b)];
}

/**
 * Cross-validation splits: fold f is the test set; a validation set (for model selection and early
 * stopping) is carved from the other folds only, so the test fold never influences training.
 */
export function crossValidationSplits(labels: readonly number[], k: number, seed: number, validationFraction = 0.2): FoldSplit[] {
  const folds = stratifiedFolds(labels, k, seed);
  return folds.map((test, fold) => {
    const others = folds.filter((_, j) => j !== fold).flat();
    const [train, validation] = stratifiedHoldout(others, labels, validationFraction, seed * 31 + fold);
    return { fold, train, validation, test };
  });
}
