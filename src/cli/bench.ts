import type { Command } from 'commander';
import { z } from 'zod';
import { VARIANTS } from '../model/variants.js';
import type { VariantName } from '../model/variants.js';
import { InputError } from '../util/errors.js';
import { machine, measureModel, measurePytorch } from './bench-measure.js';
import type { ModelBenchOptions } from './bench-measure.js';
import type { SetExitCode } from './commands.js';

/**
 * `csfnet bench`: training and inference throughput of CSF-Net on this machine, and with
 * --compare-pytorch the PyTorch reference's in the same command, with the ratios (ours / PyTorch:
 * above 1 means faster, or for memory, more). --json prints one JSON object on stdout; the backend
 * line goes to stderr.
 */
const Flags = z.object({
  variant: z.enum(Object.keys(VARIANTS) as [VariantName, ...VariantName[]]),
  batch: z.coerce.number().int().min(1).max(256),
  steps: z.coerce.number().int().min(1).max(100),
  threads: z.coerce.number().int().min(1).max(1024).optional(),
  backend: z.enum(['auto', 'native', 'reference']),
  seed: z.coerce.number().int(),
  comparePytorch: z.boolean().optional(),
  json: z.boolean().optional(),
});

export function register(program: Command, _setExit: SetExitCode): void {
  program
    .command('bench')
    .description('time a training step and inference of CSF-Net (optionally beside PyTorch)')
    .option('--variant <name>', `model size: ${Object.keys(VARIANTS).join(', ')}`, 'paper')
    .option('--batch <n>', 'subjects per batch', '4')
    .option('--steps <n>', 'timed steps after one warm-up', '3')
    .option('--threads <n>', 'native threads (default CSFNET_THREADS, else the available cores)')
    .option('--backend <name>', 'auto, native or reference', 'auto')
    .option('--seed <n>', 'seed of the weights and inputs', '0')
    .option('--compare-pytorch', 'also run ../shared/reference/csfnet_ref.py with /usr/bin/python3 and report ratios')
    .option('--json', 'print one JSON object')
    .action((raw: Record<string, unknown>) => {
      const parsed = Flags.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new InputError(`bench: --${String(issue.path[0])}: ${issue.message}`, { rule: 'bench-flags' });
      }
      const f = parsed.data;
      const options: ModelBenchOptions = { variant: f.variant, batch: f.batch, steps: f.steps, backend: f.backend, seed: f.seed, ...(f.threads !== undefined ? { threads: f.threads } : {}) };
      const ours = measureModel(options);
      const report: Record<string, unknown> = { ...ours, date: new Date().toISOString(), machine: machine() };
      if (f.comparePytorch === true) {
        const torch = measurePytorch(options, ours.threads);
        if (torch.ok) {
          report.pytorch = torch.result;
          report.ratios = {
            train: ours.train_samples_per_s / torch.result.train_samples_per_s,
            infer: ours.infer_samples_per_s / torch.result.infer_samples_per_s,
            peak_rss: ours.peak_rss_mb / torch.result.peak_rss_mb,
          };
        } else {
          report.pytorch = null;
          report.pytorch_unavailable = torch.reason;
        }
      }
      if (f.json === true) {
        process.stdout.write(`${JSON.stringify(report)}\n`);
        return;
      }
      const lines = [
        `CSF-Net ${ours.variant} (${(ours.params / 1e6).toFixed(1)} M parameters), batch ${ours.batch}, ${ours.backend}${ours.isa ? ` ${ours.isa}` : ''}, ${ours.threads} thread(s)`,
        `  train  ${ours.train_samples_per_s.toFixed(3)} subjects/s (${ours.train_step_s.toFixed(2)} s per Adam step)`,
        `  infer  ${ours.infer_samples_per_s.toFixed(3)} subjects/s (${ours.infer_batch_s.toFixed(2)} s per batch)`,
        `  peak RSS ${ours.peak_rss_mb.toFixed(0)} MB`,
      ];
      if (report.pytorch) {
        const t = report.pytorch as { engine: string; train_samples_per_s: number; infer_samples_per_s: number; peak_rss_mb: number };
        const r = report.ratios as { train: number; infer: number; peak_rss: number };
        lines.push(`${t.engine}: train ${t.train_samples_per_s.toFixed(3)}/s, infer ${t.infer_samples_per_s.toFixed(3)}/s, peak RSS ${t.peak_rss_mb.toFixed(0)} MB`);
        lines.push(`  ratios (ours / PyTorch): train ${r.train.toFixed(2)}x, infer ${r.infer.toFixed(2)}x, peak RSS ${r.peak_rss.toFixed(2)}x`);
      } else if (report.pytorch_unavailable) {
        lines.push(`PyTorch comparison unavailable: ${String(report.pytorch_unavailable)}`);
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
