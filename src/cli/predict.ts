import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { initBackend } from './backend.js';
import { MODEL_NAMES } from '../model/variants.js';
import type { ModelName } from '../model/variants.js';
import { InputError } from '../util/errors.js';
import type { SetExitCode } from './commands.js';
import { choiceArg } from './options.js';

interface Flags {
  checkpoint: string;
  patches?: string[];
  clinical?: string;
  cohort?: string;
  subject?: string;
  store?: string;
  saliency?: string;
  stages?: number[][];
  categories?: number[];
  model?: ModelName;
  json?: boolean;
}

const jsonList = (what: string) => (value: string): number[][] | number[] => {
  try {
    return JSON.parse(value) as number[][] | number[];
  } catch {
    throw new InvalidArgumentError(`${what} must be JSON, e.g. ${what === 'stages' ? "'[[64,64,64],[128,128,256],[256,256,256,512]]'" : "'[7,2,2,20]'"}`);
  }
};

export function register(program: Command, setExit: SetExitCode): void {
  program
    .command('predict')
    .description('P(malignant) of one subject from its T0/T1 patches (or a cohort subject) and clinical values, optionally with Grad-CAM volumes')
    .requiredOption('--checkpoint <file>', 'checkpoint (.safetensors), from csfnet train or converted from the public PyTorch code')
    .option('--patches <files...>', 'T0 and T1 patches (preprocessed 64x64x16 NIfTI), T0 first; a single-t1 model takes only T1')
    .option('--clinical <pairs>', 'column=value pairs, e.g. race=1,cigsmok=1,gender=2,age=63 (NLST codings)')
    .option('--cohort <dir>', 'predict a cohort subject instead (same preprocessing as training)')
    .option('--subject <id>', 'the cohort subject')
    .option('--store <dir>', 'patch store of the cohort (default: <cohort>-patches)')
    .option('--saliency <dir>', 'also write Grad-CAM volumes gradcam-T0.nii.gz and gradcam-T1.nii.gz there')
    .option('--stages <json>', 'encoder stages of a checkpoint without csf-net metadata (default: the paper variant)', jsonList('stages'))
    .option('--categories <json>', 'clinical category counts of a checkpoint without metadata (default: NLST [7,2,2,20])', jsonList('categories'))
    .option('--model <name>', 'architecture of a checkpoint without metadata', choiceArg(MODEL_NAMES), undefined)
    .option('--json', 'print {"p_malignant", "logits", "model", "checkpoint"} as JSON')
    .addHelpText('after', `
Examples:
  csfnet predict --checkpoint csfnet-small.safetensors --patches T0.nii.gz T1.nii.gz --clinical race=1,cigsmok=1,gender=2,age=63 --json
  csfnet predict --checkpoint csfnet-small.safetensors --cohort my-cohort --subject 100012 --saliency out/
`)
    .action(async (f: Flags) => {
      const verbose = program.opts<{ verbose?: boolean }>().verbose ?? false;
      await initBackend(program);
      const { loadCheckpoint } = await import('../model/index.js');
      const { cohortInputs, parseClinical, predictOne, readPatchFile } = await import('../train/run-predict.js');
      const ckpt = loadCheckpoint(f.checkpoint, {
        ...(f.stages ? { stages: f.stages as number[][] } : {}),
        ...(f.categories ? { categories: f.categories as number[] } : {}),
        ...(f.model ? { model: f.model } : {}),
      });
      if (verbose && ckpt.skipped.length > 0) process.stderr.write(`skipped ${ckpt.skipped.length} unused official key(s): ${ckpt.skipped.join(', ')}\n`);
      let result;
      if (f.cohort !== undefined || f.subject !== undefined) {
        if (!f.cohort || !f.subject) throw new InputError('--cohort and --subject go together');
        const inputs = await cohortInputs(f.cohort, f.subject, f.store);
        const row = Object.fromEntries(ckpt.clinical.columns.map((c) => [c, inputs.row[c] ?? '']));
        const clinical = parseClinical(Object.entries(row).map(([k, v]) => `${k}=${v}`).join(','), ckpt.clinical);
        result = predictOne(ckpt, f.checkpoint, inputs.t0, inputs.t1, clinical, f.saliency);
      } else {
        const files = f.patches ?? [];
        if (files.length < 1 || files.length > 2) throw new InputError('--patches takes the T0 and T1 patch files (T0 first), or only T1 for a single-t1 model');
        const [t0, t1] = files.length === 2 ? [readPatchFile(files[0]!), readPatchFile(files[1]!)] : [null, readPatchFile(files[0]!)];
        const clinical = parseClinical(f.clinical ?? '', ckpt.clinical);
        result = predictOne(ckpt, f.checkpoint, t0, t1, clinical, f.saliency);
      }
      if (f.json) {
        process.stdout.write(`${JSON.stringify({ p_malignant: result.pMalignant, logits: result.logits, model: result.model, checkpoint: result.checkpoint, clinical: result.clinical, ...(result.saliency.length ? { saliency: result.saliency } : {}) })}\n`);
      } else {
        process.stdout.write(`P(malignant) = ${result.pMalignant.toFixed(4)} (${result.model}, logits ${result.logits.map((l) => l.toFixed(3)).join(', ')})\n`);
        for (const s of result.saliency) process.stdout.write(`Grad-CAM: ${s}\n`);
      }
      setExit(0);
    });
}
