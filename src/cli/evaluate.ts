import type { Command } from 'commander';
import { initBackend } from './backend.js';
import type { SetExitCode } from './commands.js';
import { resultJson, resultTable } from './result-table.js';

export function register(program: Command, setExit: SetExitCode): void {
  program
    .command('evaluate')
    .description('score a trained checkpoint on a labelled cohort: metrics with bootstrap intervals beside the clinical rules')
    .requiredOption('--checkpoint <file>', 'checkpoint (.safetensors) written by csfnet train')
    .requiredOption('--cohort <dir>', 'labelled cohort folder')
    .option('--store <dir>', 'patch store (default: <cohort>-patches)')
    .option('--out <dir>', 'also write the report there')
    .option('--seed <n>', 'bootstrap seed', (v) => Number(v), 0)
    .option('--json', 'print one JSON object')
    .addHelpText('after', '\nExample:\n  csfnet evaluate --checkpoint csfnet-small.safetensors --cohort other-cohort --json\n')
    .action(async (f: { checkpoint: string; cohort: string; store?: string; out?: string; seed: number; json?: boolean }) => {
      await initBackend(program);
      const { evaluateCheckpoint } = await import('../train/run-evaluate.js');
      const outcome = await evaluateCheckpoint({ checkpoint: f.checkpoint, cohortDir: f.cohort, ...(f.store ? { storeDir: f.store } : {}), ...(f.out ? { outDir: f.out } : {}), seed: f.seed });
      if (f.json) process.stdout.write(`${JSON.stringify({ checkpoint: f.checkpoint, ...resultJson(outcome.evaluation) })}\n`);
      else process.stdout.write(`${resultTable(outcome.evaluation)}\n`);
      setExit(0);
    });
}
