import { InputError } from '../util/errors.js';

/**
 * Checks of the inputs of the clinical rules. Every failure is an InputError whose one-line message
 * starts with the rule's name and names the field, its unit and the allowed range, e.g.
 * `brock: age must be between 18 and 110 years, got 300`.
 */

export interface NumberRule {
  readonly min: number;
  readonly max: number;
  /** Unit written after the range in messages (e.g. "mm", "years"). */
  readonly unit: string;
  /** When true the minimum itself is not allowed (e.g. a diameter must be > 0). */
  readonly minExclusive?: boolean;
  /** When true the value must be a whole number. */
  readonly integer?: boolean;
}

/** Returns `value` when it is a finite number inside the rule, else throws naming the field. */
export function checkNumber(model: string, field: string, value: number, rule: NumberRule): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InputError(`${model}: ${field} must be a number in ${rule.unit}, got ${String(value)}`, { rule: 'not-a-number' });
  }
  const low = rule.minExclusive ? value <= rule.min : value < rule.min;
  if (low || value > rule.max) {
    const lower = rule.minExclusive ? `greater than ${rule.min}` : `between ${rule.min}`;
    const range = rule.minExclusive ? `${lower} and at most ${rule.max}` : `${lower} and ${rule.max}`;
    throw new InputError(`${model}: ${field} must be ${range} ${rule.unit}, got ${value}`, { rule: 'out-of-range' });
  }
  if (rule.integer && !Number.isInteger(value)) {
    throw new InputError(`${model}: ${field} must be a whole number, got ${value}`, { rule: 'not-an-integer' });
  }
  return value;
}

/** Returns `value` when it is one of `choices`, else throws listing them. */
export function checkChoice<T extends string>(model: string, field: string, value: string, choices: readonly T[]): T {
  const found = choices.find((c) => c === value);
  if (found === undefined) {
    throw new InputError(`${model}: ${field} must be one of ${choices.join(', ')}, got "${value}"`, { rule: 'unknown-choice' });
  }
  return found;
}

/** Returns `value` when it is a boolean (a JavaScript caller may pass anything), else throws. */
export function checkBoolean(model: string, field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new InputError(`${model}: ${field} must be true or false, got ${String(value)}`, { rule: 'not-a-boolean' });
  }
  return value;
}

/**
 * Parses a number written as text (a command-line flag, a CSV cell): plain decimal notation only,
 * so "12", "-3.5" and "1e2" pass and "", "12mm" and "0x10" do not.
 */
export function parseNumberText(model: string, field: string, text: string): number {
  const trimmed = text.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) {
    throw new InputError(`${model}: ${field} must be a number, got "${text}"`, { rule: 'not-a-number' });
  }
  return Number(trimmed);
}
