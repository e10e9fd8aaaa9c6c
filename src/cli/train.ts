import type { Command } from 'commander';
import { initBackend } from './backend.js';
import type { ModelName } from '../model/variants.js';
import { defaultRegistryPath } from '../store/registry-path.js';
import type { SetExitCode } from './commands.js';
import { choiceArg } from './options.js';
import { bar, formatDuration, Progress } from './progress.js';
import type { TrainFlags } from './train-flags.js';
import { addTrainFlags, ALL_MODELS, clinicalColumnsFrom, trainOptionsFrom } from './train-flags.js';

interface Flags extends TrainFlags {
  cohort: string;
  out: string;
  store?: string;
  model: ModelName;
  resume?: boolean;
  registry: string;
  json?: boolean;
}

export function register(program: Command, setExit: SetExitCode): void {
  const cmd = program
    .command('train')
    .description('train one model on a cohort (epoch chosen on a validation hold-out) and save the checkpoint')
    .requiredOption('--cohort <dir>', 'cohort folder')
    .requiredOption('--out <file>', 'checkpoint to write (.safetensors)')
    .option('--model <name>', `network: ${ALL_MODELS.join(', ')}`, choiceArg(ALL_MODELS), 'csfnet')
    .option('--store <dir>', 'patch store (default: <cohort>-patches)')
    .option('--resume', 'continue an interrupted run of the same command from its last finished epoch')
    .option('--registry <file>', 'SQLite run registry', defaultRegistryPath())
    .option('--json', 'print a JSON summary on stdout');
  addTrainFlags(cmd).addHelpText('after', '\nExample:\n  csfnet train --cohort my-cohort --out csfnet-small.safetensors --variant small --epochs 20\n  csfnet train --cohort my-cohort --out csfnet-small.safetensors --variant small --epochs 20 --resume\n');
  cmd.action(async (f: Flags) => {
    await initBackend(program);
    const { runTraining } = await import('../train/run-train.js');
    const progress = new Progress();
    const started = Date.now();
    const outcome = await runTraining(
      {
        cohortDir: f.cohort,
        ...(f.store ? { storeDir: f.store } : {}),
        out: f.out,
        registryPath: f.registry,
        model: f.model,
        variant: f.variant,
        seed: f.seed,
        resume: f.resume ?? false,
        validationFraction: f.validation,
        normalization: f.normalization,
        pooling: f.pooling,
        ...(clinicalColumnsFrom(f) ? { clinicalColumns: clinicalColumnsFrom(f)! } : {}),
        train: trainOptionsFrom(f),
      },
      {
        onPreprocess: (p) => {
          if (p.action) progress.update(`preprocess ${p.index}/${p.total}`);
        },
        onBatch: (b) => progress.update(`epoch ${b.epoch + 1}/${f.epochs} ${bar((b.batch + 1) / b.batches)} loss ${b.loss.toFixed(3)}`),
        onEpoch: (e) => {
          const left = ((Date.now() - started) / 1000 / (e.epoch + 1)) * (e.epochs - e.epoch - 1);
          progress.line(`epoch ${e.epoch + 1}/${e.epochs} loss ${e.trainLoss.toFixed(4)} val loss ${e.valLoss.toFixed(4)} val AUC ${Number.isFinite(e.valAuc) ? e.valAuc.toFixed(3) : 'n/a'}${e.best ? ' (best)' : ''} ${e.seconds.toFixed(1)}s, ~${formatDuration(left)} left`);
        },
      },
    );
    const best = outcome.history.find((h) => h.epoch === outcome.bestEpoch);
    const summary = { run: outcome.runId, checkpoint: outcome.checkpoint, best_epoch: outcome.bestEpoch, val_auc: best?.valAuc ?? null, epochs: outcome.history.length, subjects: outcome.subjects };
    if (f.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else process.stdout.write(`saved ${outcome.checkpoint} (epoch ${outcome.bestEpoch + 1}, validation AUC ${best && Number.isFinite(best.valAuc) ? best.valAuc.toFixed(3) : 'n/a'}; run ${outcome.runId})\n`);
    setExit(0);
  });
}
