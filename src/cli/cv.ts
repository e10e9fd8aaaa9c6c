import type { Command } from 'commander';
import { initBackend } from './backend.js';
import type { ModelName } from '../model/variants.js';
import { defaultRegistryPath } from '../store/registry-path.js';
import type { SetExitCode } from './commands.js';
import { cvProgress } from './cv-progress.js';
import { intArg, listArg } from './options.js';
import { describeTraining } from '../train/describe-training.js';
import type { TrainingSetup } from '../train/describe-training.js';
import { resultJson, resultTable } from './result-table.js';
import type { TrainFlags } from './train-flags.js';
import { addTrainFlags, ALL_MODELS, clinicalColumnsFrom, trainOptionsFrom } from './train-flags.js';

interface CvFlags extends TrainFlags {
  cohort: string;
  out: string;
  store?: string;
  folds: number;
  models: ModelName[];
  rules: boolean;
  registry: string;
  json?: boolean;
}

export function register(program: Command, setExit: SetExitCode): void {
  const cmd = program
    .command('cv')
    .description('cross-validate CSF-Net, its ablations and the clinical rules on one cohort, on the same folds, and write the report')
    .requiredOption('--cohort <dir>', 'cohort folder (subjects.csv, scans.csv, images)')
    .requiredOption('--out <dir>', 'report folder (report.md, report.html, figures, predictions.csv)')
    .option('--store <dir>', 'patch store (default: <cohort>-patches beside the cohort; made or refreshed first)')
    .option('--folds <k>', 'number of folds', intArg(2, 50), 5)
    .option('--models <list>', `comma-separated networks: ${ALL_MODELS.join(', ')}`, listArg(ALL_MODELS), [...ALL_MODELS])
    .option('--no-rules', 'leave the clinical rules (Brock, Mayo, Lung-RADS, VDT, PLCOm2012) out')
    .option('--registry <file>', 'SQLite run registry', defaultRegistryPath())
    .option('--json', 'print one JSON object (per-model metrics with intervals) instead of the table');
  addTrainFlags(cmd).addHelpText('after', '\nExample:\n  csfnet cv --cohort my-cohort --out reports/cv1 --folds 5 --models csfnet,no-clinical,single-t1 --epochs 20\n');
  cmd.action(async (flags: CvFlags) => {
    await initBackend(program);
    const { runCrossValidation } = await import('../train/run-cv.js');
    const { hooks, progress } = cvProgress(program.opts<{ verbose?: boolean }>().verbose ?? false);
    const setup: TrainingSetup = {
      folds: flags.folds,
      seed: flags.seed,
      variant: flags.variant,
      validationFraction: flags.validation,
      normalization: flags.normalization,
      pooling: flags.pooling,
      train: trainOptionsFrom(flags),
    };
    progress.line(`csfnet cv: ${describeTraining(setup)}; models ${flags.models.join(', ')}${flags.rules ? ' and the clinical rules' : ''}`);
    const outcome = await runCrossValidation(
      {
        cohortDir: flags.cohort,
        ...(flags.store ? { storeDir: flags.store } : {}),
        outDir: flags.out,
        registryPath: flags.registry,
        ...setup,
        models: flags.models,
        rules: flags.rules,
        ...(clinicalColumnsFrom(flags) ? { clinicalColumns: clinicalColumnsFrom(flags)! } : {}),
      },
      hooks,
    );
    progress.line(`run ${outcome.runId}: ${outcome.subjects} subjects, ${flags.folds} folds; report in ${flags.out}`);
    if (flags.json) process.stdout.write(`${JSON.stringify({ run: outcome.runId, report: outcome.files, ...resultJson(outcome.evaluation) })}\n`);
    else process.stdout.write(`${resultTable(outcome.evaluation)}\n\nReport: ${outcome.files.find((f) => f.endsWith('.html')) ?? flags.out}\n`);
    setExit(0);
  });
}
