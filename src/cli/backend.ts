import type { Command } from 'commander';

/** Selects the compute backend for a command; under --verbose it always says which one and why. */
export async function initBackend(program: Command): Promise<void> {
  const { useBackend } = await import('../backends/index.js');
  useBackend('auto', { verbose: program.opts<{ verbose?: boolean }>().verbose ?? false });
}
