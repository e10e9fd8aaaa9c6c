import type { Command } from 'commander';
import { z } from 'zod';
import { InputError } from '../util/errors.js';
import type { SetExitCode } from './commands.js';

const Flags = z.object({
  out: z.string().min(1),
  subjects: z.coerce.number().int().min(1).max(100_000),
  seed: z.coerce.number().int().min(0).max(2 ** 32 - 1),
  format: z.enum(['dicom', 'nifti', 'mixed']),
  prevalence: z.coerce.number().gt(0).lt(1),
  t2: z.coerce.number().min(0).max(1),
  json: z.boolean().optional(),
});

/**
 * `csfnet synth --out DIR`: writes a synthetic follow-up cohort (src/synth/synth-config.ts documents
 * the causal model). Progress goes to stderr; the summary to stdout, as JSON with --json.
 */
export function register(program: Command, _setExit: SetExitCode): void {
  program
    .command('synth')
    .description('generate a synthetic follow-up CT cohort (subjects.csv, scans.csv, DICOM/NIfTI scans)')
    .requiredOption('--out <dir>', 'new or empty output folder')
    .option('--subjects <n>', 'number of subjects', '200')
    .option('--seed <s>', 'random seed (same seed, same bytes)', '1')
    .option('--format <format>', 'dicom, nifti or mixed (both in one cohort)', 'mixed')
    .option('--prevalence <p>', 'expected share of malignant subjects', '0.35')
    .option('--t2 <fraction>', 'share of subjects with a third scan (T2)', '0')
    .option('--json', 'print the summary as JSON')
    .action(async (raw: Record<string, unknown>) => {
      const parsed = Flags.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new InputError(`synth: --${String(issue.path[0] ?? '')}: ${issue.message}`, { rule: 'flag' });
      }
      const o = parsed.data;
      const { synthConfigWith } = await import('../synth/synth-config.js');
      const { generateCohort } = await import('../synth/write-cohort.js');
      const cfg = synthConfigWith({ subjects: o.subjects, prevalence: o.prevalence, format: o.format, t2Fraction: o.t2 });
      const started = performance.now();
      const summary = await generateCohort(o.out, cfg, o.seed, {
        onSubject: (done, total) => {
          if (done % 10 === 0 || done === total) {
            process.stderr.write(`synth: ${done}/${total} subjects (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
          }
        },
      });
      const seconds = (performance.now() - started) / 1000;
      if (o.json === true) {
        const out = {
          out: summary.outDir,
          seed: o.seed,
          subjects: summary.subjects,
          malignant: summary.malignant,
          scans: summary.scans,
          dicom_scans: summary.dicomScans,
          nifti_scans: summary.niftiScans,
          bytes: summary.bytes,
          workers: summary.workers,
          seconds: Number(seconds.toFixed(1)),
        };
        process.stdout.write(`${JSON.stringify(out)}\n`);
        return;
      }
      process.stdout.write(
        `wrote ${summary.subjects} subjects (${summary.malignant} malignant), ${summary.scans} scans ` +
          `(${summary.dicomScans} DICOM, ${summary.niftiScans} NIfTI), ${(summary.bytes / 1e6).toFixed(1)} MB ` +
          `to ${summary.outDir} in ${seconds.toFixed(1)} s\n`,
      );
    });
}
