import type { Command } from 'commander';
import { checkCohortImages } from '../cohort/check-cohort-images.js';
import { loadCohort } from '../cohort/load-cohort.js';
import { formatReport, reportCounts } from '../cohort/validation-report.js';
import { InputError } from '../util/errors.js';
import type { SetExitCode } from './commands.js';

/**
 * `csfnet validate --cohort DIR [--json]`: checks a cohort folder (tables, paths, every image with
 * the readers' checks, nodule centres inside their scans) and prints the validation report.
 * Exit 0 when every subject is usable, 3 when some are not (the report says why), 2 when the cohort
 * itself is unreadable (one line naming the file and the rule).
 */
export function register(program: Command, setExit: SetExitCode): void {
  program
    .command('validate')
    .description('check a cohort folder: subjects.csv, scans.csv, images and nodule coordinates')
    .requiredOption('--cohort <dir>', 'cohort folder with subjects.csv and scans.csv')
    .option('--timepoints <n>', 'time points each subject needs (T0..Tn-1)', '2')
    .option('--json', 'print the report as JSON')
    .action(async (o: { cohort: string; timepoints: string; json?: boolean }) => {
      const cohort = loadCohort(o.cohort, { requiredTimepoints: timepoints(o.timepoints) });
      await checkCohortImages(cohort, {
        onProgress: (p) => process.stderr.write(`reading ${p.index}/${p.total}: subject ${p.subjectId} ${p.timepoint}\n`),
      });
      process.stdout.write(o.json === true ? `${JSON.stringify(cohort.report, null, 2)}\n` : `${formatReport(cohort.report)}\n`);
      setExit(reportCounts(cohort.report).allUsable ? 0 : 3);
    });
}

/** The --timepoints flag as a count of at least 1. */
export function timepoints(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new InputError(`--timepoints must be a whole number from 1 to 100, not "${text}"`, { rule: 'flag' });
  return n;
}
