import { ConfigError } from '../util/errors.js';

/** Throws a ConfigError `where: message` when a module is configured inconsistently. */
export function check(condition: boolean, where: string, message: string): asserts condition {
  if (!condition) throw new ConfigError(`${where}: ${message}`);
}
