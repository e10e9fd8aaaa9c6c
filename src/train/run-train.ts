import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadCohort } from '../cohort/load-cohort.js';
import { defaultStoreDir, preprocessCohort } from '../cohort/preprocess-cohort.js';
import type { PreprocessOptions } from '../cohort/preprocess-cohort.js';
import type { FusedPooling, ModelName, PatchNormalization, VariantName } from '../model/index.js';
import { configFor, CsfNet, saveCheckpoint } from '../model/index.js';
import { Registry } from '../store/index.js';
import { codeVersion } from './code-version.js';
import { loadSamples } from './load-samples.js';
import { stratifiedHoldout } from './splits.js';
import type { EpochMetrics, TrainHooks, TrainOptions } from './trainer.js';
import { trainModel } from './trainer.js';
import { trainingMetadataString } from './training-metadata.js';

export interface RunTrainOptions {
  cohortDir: string;
  storeDir?: string;
  out: string;
  registryPath: string;
  model: ModelName;
  variant: VariantName;
  seed: number;
  resume: boolean;
  validationFraction: number;
  normalization: PatchNormalization;
  pooling?: FusedPooling;
  clinicalColumns?: readonly string[];
  train: Omit<TrainOptions, 'seed' | 'statePath' | 'resume'>;
}

export interface RunTrainOutcome {
  runId: number;
  checkpoint: string;
  statePath: string;
  history: EpochMetrics[];
  bestEpoch: number;
  subjects: { train: number; validation: number };
}

/** Where --resume finds the state of an interrupted `csfnet train --out CKPT`. */
export function trainStatePath(checkpoint: string): string {
  return `${resolve(checkpoint)}.state.safetensors`;
}

/**
 * Trains one model on every labelled subject of a cohort, selecting the epoch on a stratified
 * validation hold-out, and saves the selected weights with the clinical schema. The state after
 * each epoch is kept beside the checkpoint so `--resume` continues an interrupted run exactly; it
 * is removed once the checkpoint is written.
 */
export async function runTraining(o: RunTrainOptions, hooks: TrainHooks & { onPreprocess?: PreprocessOptions['onProgress'] } = {}): Promise<RunTrainOutcome> {
  const storeDir = resolve(o.storeDir ?? defaultStoreDir(o.cohortDir));
  await preprocessCohort(o.cohortDir, { out: storeDir, ...(hooks.onPreprocess ? { onProgress: hooks.onPreprocess } : {}) });
  const cohort = loadCohort(o.cohortDir);
  const loaded = loadSamples(cohort, storeDir, o.clinicalColumns ? { columns: o.clinicalColumns } : {});
  const labels = loaded.samples.map((s) => s.label);
  const [trainIdx, valIdx] = stratifiedHoldout(loaded.samples.map((_, i) => i), labels, o.validationFraction, o.seed);
  const model = new CsfNet(configFor(o.variant, o.model, loaded.schema.vocab.map((v) => v.length), o.normalization, o.pooling), o.seed);
  const registry = Registry.open(o.registryPath);
  const runId = registry.startRun({ kind: 'train', config: { ...o, registryPath: undefined }, codeVersion: codeVersion(), seed: o.seed, cohort: resolve(o.cohortDir) });
  const statePath = trainStatePath(o.out);
  try {
    const result = trainModel(model, trainIdx.map((i) => loaded.samples[i]!), valIdx.map((i) => loaded.samples[i]!), { ...o.train, seed: o.seed, statePath, resume: o.resume }, {
      ...hooks,
      onEpoch: (e) => {
        registry.addEpoch(runId, { model: o.model, fold: 0, ...e });
        hooks.onEpoch?.(e);
      },
    });
    const best = result.history.find((h) => h.epoch === result.bestEpoch);
    saveCheckpoint(o.out, model, loaded.schema, {
      trained_on: resolve(o.cohortDir),
      training: trainingMetadataString({
        epochs: result.history.length,
        best_epoch: result.bestEpoch,
        val_auc: best?.valAuc ?? null,
        seed: o.seed,
        code: codeVersion(),
        size_weight: o.train.sizeWeight,
        growth_weight: o.train.growthWeight,
        clinical_dropout: o.train.clinicalDropout,
        clinical_warmup: o.train.clinicalWarmup,
      }),
    });
    rmSync(statePath, { force: true });
    registry.addFold(runId, { model: o.model, fold: 0, bestEpoch: result.bestEpoch, nTrain: trainIdx.length, nValidation: valIdx.length, nTest: 0, seconds: result.history.reduce((s, h) => s + h.seconds, 0) });
    registry.finishRun(runId, { status: 'done' });
    return { runId, checkpoint: resolve(o.out), statePath, history: result.history, bestEpoch: result.bestEpoch, subjects: { train: trainIdx.length, validation: valIdx.length } };
  } catch (err) {
    registry.finishRun(runId, { status: 'failed', error: err instanceof Error ? err.message : String(err) });
    throw err;
  } finally {
    registry.close();
  }
}
