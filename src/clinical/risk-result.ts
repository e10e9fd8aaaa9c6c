/**
 * What every clinical rule returns: the value, the inputs it actually used, and every input it was
 * not given and assumed instead (never silently), so a user can see how much of the answer rests on
 * defaults.
 */

/** An input the rule was not given, and the value it used in its place. */
export interface Assumption {
  /** Input name as the command line and the JSON output spell it (snake_case, e.g. `family_history`). */
  readonly field: string;
  /** The value used instead. */
  readonly value: string | number | boolean;
  /** One sentence: why this value. */
  readonly note: string;
}

/** A probability from a logistic risk model. */
export interface RiskResult<I> {
  /** Model name, e.g. `brock-2b`. */
  readonly model: string;
  /** Probability in (0, 1). */
  readonly p: number;
  /** The inputs as used, assumed values included. */
  readonly inputs: I;
  /** Inputs not given and what was used instead. */
  readonly assumed: readonly Assumption[];
  /** Warnings that do not stop the computation (e.g. outside the model's development range). */
  readonly notes: readonly string[];
}

/** The logistic function 1 / (1 + exp(-x)), written so that neither tail overflows. */
export function logistic(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}
