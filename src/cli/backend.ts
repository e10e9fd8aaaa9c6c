import type { Command } from 'commander';
import { useBackend } from '../backends/index.js';

/** Selects the compute backend for a command; under --verbose it always says which one and why. */
export function initBackend(program: Command): void {
  useBackend('auto', { verbose: program.opts<{ verbose?: boolean }>().verbose ?? false });
}
