import type { Command } from 'commander';
import { preprocessCohort, type PreprocessSummary } from '../cohort/preprocess-cohort.js';
import { reportCounts } from '../cohort/validation-report.js';
import type { SetExitCode } from './commands.js';
import { intArg } from './options.js';
import { timepoints } from './validate.js';

/**
 * `csfnet preprocess --cohort DIR [--out DIR] [--workers N] [--json]`: validates the cohort, cuts and
 * measures a 16 x 64 x 64 patch per subject and time point on N worker threads (default one per
 * core, at most one per 8 scans), writes the patch store (reusing patches whose source is
 * unchanged), shows progress on stderr and prints a summary. Exit codes as `validate`.
 */
export function register(program: Command, setExit: SetExitCode): void {
  program
    .command('preprocess')
    .description('cut and measure nodule patches of a cohort into a patch store')
    .requiredOption('--cohort <dir>', 'cohort folder with subjects.csv and scans.csv')
    .option('--out <dir>', 'patch store folder (default: <cohort>-patches beside the cohort)')
    .option('--timepoints <n>', 'time points each subject needs (T0..Tn-1)', '2')
    .option('--workers <n>', 'worker threads reading scans (default: one per core, at most one per 8 scans)', intArg(1, 256))
    .option('--json', 'print the summary as JSON')
    .action(async (o: { cohort: string; out?: string; timepoints: string; workers?: number; json?: boolean }) => {
      const summary = await preprocessCohort(o.cohort, {
        requiredTimepoints: timepoints(o.timepoints),
        ...(o.out === undefined ? {} : { out: o.out }),
        ...(o.workers === undefined ? {} : { workers: o.workers }),
        onProgress: (p) => {
          if (p.action !== undefined) process.stderr.write(`[${p.index}/${p.total}] subject ${p.subjectId} ${p.timepoint}: ${p.action}\n`);
        },
      });
      process.stdout.write(o.json === true ? `${JSON.stringify(summary, null, 2)}\n` : `${formatSummary(summary)}\n`);
      setExit(reportCounts(summary.report).allUsable ? 0 : 3);
    });
}

function formatSummary(s: PreprocessSummary): string {
  const out = [`patch store ${s.store}`, `subjects ok: ${s.subjectsOk.length}${s.subjectsOk.length > 0 ? ` (${s.subjectsOk.join(', ')})` : ''}`];
  out.push(`subjects skipped: ${s.skipped.length}`);
  for (const k of s.skipped) {
    out.push(`  ${k.subjectId}:`);
    for (const p of k.problems) out.push(`    - [${p.rule}]${p.timepoint ? ` ${p.timepoint}:` : ''} ${p.message}`);
  }
  for (const p of s.report.cohortProblems) out.push(`  (cohort) [${p.rule}] ${p.message}`);
  out.push(`patches: ${s.patchesWritten} written, ${s.patchesReused} reused`);
  for (const g of s.growth) {
    const vdt = g.vdtDays === null ? '' : `, VDT ${Number.isFinite(g.vdtDays) ? Math.round(g.vdtDays) : 'infinite'} days`;
    const caveat = g.reliable ? '' : ' (not reliable: a segmentation touches its measurement region border or found nothing)';
    out.push(`growth ${g.subjectId} T0->T1: ${g.volume0Mm3.toFixed(0)} -> ${g.volume1Mm3.toFixed(0)} mm^3 (${g.volumeChangePercent >= 0 ? '+' : ''}${g.volumeChangePercent.toFixed(1)}%) in ${g.days} days${vdt}${caveat}`);
  }
  out.push(`time ${s.seconds.toFixed(1)} s`);
  return out.join('\n');
}
