import type { Command } from 'commander';
import { defaultRegistryPath } from '../store/registry-path.js';
import type { Registry } from '../store/registry.js';

const openRegistry = async (path: string): Promise<Registry> => (await import('../store/registry.js')).Registry.open(path);
import type { SetExitCode } from './commands.js';
import { intArg } from './options.js';

export function register(program: Command, setExit: SetExitCode): void {
  const runs = program.command('runs').description('list and inspect the runs of the registry (cv, train, evaluate)');
  runs
    .command('list')
    .description('the latest runs, newest first')
    .option('--registry <file>', 'SQLite run registry', defaultRegistryPath())
    .option('--limit <n>', 'how many', intArg(1, 100000), 20)
    .option('--json', 'print JSON')
    .action(async (f: { registry: string; limit: number; json?: boolean }) => {
      const reg = await openRegistry(f.registry);
      try {
        const rows = reg.listRuns(f.limit);
        if (f.json) {
          process.stdout.write(`${JSON.stringify(rows)}\n`);
        } else if (rows.length === 0) {
          process.stdout.write(`no runs in ${f.registry}\n`);
        } else {
          for (const r of rows) {
            const took = r.finishedAt ? `${((Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000).toFixed(0)}s` : '';
            process.stdout.write(`${String(r.id).padStart(4)}  ${r.kind.padEnd(8)} ${r.status.padEnd(8)} ${r.startedAt}  ${took.padStart(7)}  seed ${r.seed}  ${r.cohort ?? ''}${r.error ? `  error: ${r.error}` : ''}\n`);
          }
        }
      } finally {
        reg.close();
      }
      setExit(0);
    });
  runs
    .command('show <id>')
    .description('one run: configuration, folds, pooled metrics with intervals, where the report is')
    .option('--registry <file>', 'SQLite run registry', defaultRegistryPath())
    .option('--json', 'print JSON')
    .action(async (id: string, f: { registry: string; json?: boolean }) => {
      const reg = await openRegistry(f.registry);
      try {
        const run = reg.getRun(intArg(1)(id));
        if (f.json) {
          process.stdout.write(`${JSON.stringify(run)}\n`);
        } else {
          const out: string[] = [
            `run ${run.id} (${run.kind}) ${run.status}${run.error ? `: ${run.error}` : ''}`,
            `started ${run.startedAt}${run.finishedAt ? `, finished ${run.finishedAt}` : ''}; code ${run.codeVersion}; seed ${run.seed}`,
            `cohort ${run.cohort ?? '-'}${run.reportDir ? `; report ${run.reportDir}` : ''}`,
            `config ${JSON.stringify(run.config)}`,
            `${run.folds.length} model-folds, ${run.epochs} epoch records, ${run.predictions} predictions`,
          ];
          for (const fold of run.folds) out.push(`  ${fold.model} fold ${fold.fold}: best epoch ${fold.bestEpoch ?? '-'}, train ${fold.nTrain}, validation ${fold.nValidation}, test ${fold.nTest}, ${fold.seconds?.toFixed(1) ?? '-'}s`);
          const pooled = run.metrics.filter((m) => m.scope === 'pooled');
          for (const model of [...new Set(pooled.map((m) => m.model))]) {
            const cells = pooled.filter((m) => m.model === model).map((m) => `${m.name} ${m.value === null ? 'n/a' : m.value.toFixed(4)}${m.lo !== null && m.hi !== null ? ` [${m.lo.toFixed(3)}, ${m.hi.toFixed(3)}]` : ''}`);
            out.push(`  ${model}: ${cells.join(', ')}`);
          }
          process.stdout.write(`${out.join('\n')}\n`);
        }
      } finally {
        reg.close();
      }
      setExit(0);
    });
}
