import { existsSync } from 'node:fs';
import type { Optimizer } from '../nn/index.js';
import { readSafetensorsFile, writeSafetensorsFile } from '../nn/index.js';
import type { CsfNet } from '../model/index.js';
import type { Tensor } from '../tensor/index.js';
import { ConfigError } from '../util/errors.js';
import type { EpochMetrics } from './trainer.js';

/**
 * What a training run needs to continue exactly where it stopped, written atomically after every
 * epoch: current weights and buffers (`model.*`), the best weights so far (`best.*`), the
 * optimizer's moments (`optim.*`), and in the metadata the epochs done, the history, the best epoch
 * and a fingerprint of everything that decides the result. Random streams are derived from the
 * seed and the epoch/batch numbers, so nothing else is needed for a bit-identical continuation.
 */
export interface TrainProgress {
  epochsDone: number;
  history: EpochMetrics[];
  bestEpoch: number;
  best: Map<string, Tensor> | null;
}

export function saveTrainState(path: string, model: CsfNet, optimizer: Optimizer, progress: TrainProgress, fingerprint: string): void {
  const tensors: Array<[string, Tensor]> = [];
  for (const [k, t] of model.stateDict()) tensors.push([`model.${k}`, t]);
  if (progress.best) for (const [k, t] of progress.best) tensors.push([`best.${k}`, t]);
  const opt = optimizer.state();
  for (const [k, t] of opt.buffers) tensors.push([`optim.${k}`, t]);
  const meta = { epochsDone: progress.epochsDone, history: progress.history, bestEpoch: progress.bestEpoch, optimizerStep: opt.step, fingerprint };
  writeSafetensorsFile(path, tensors, { csfnet_train_state: JSON.stringify(meta) });
}

/** Restores a state saved by saveTrainState into the model and optimizer; null when there is none. */
export function loadTrainState(path: string, model: CsfNet, optimizer: Optimizer, fingerprint: string): TrainProgress | null {
  if (!existsSync(path)) return null;
  const file = readSafetensorsFile(path);
  const text = file.metadata.csfnet_train_state;
  if (text === undefined) throw new ConfigError(`${path}: not a csf-net training state (no csfnet_train_state metadata)`);
  const meta = JSON.parse(text) as { epochsDone: number; history: EpochMetrics[]; bestEpoch: number; optimizerStep: number; fingerprint: string };
  if (meta.fingerprint !== fingerprint) {
    throw new ConfigError(`${path}: the saved run used other settings or data; --resume needs the same command (start again without --resume to overwrite it)`);
  }
  const pick = (prefix: string): Map<string, Tensor> => new Map([...file.tensors].filter(([k]) => k.startsWith(prefix)).map(([k, t]) => [k.slice(prefix.length), t]));
  model.loadStateDict(pick('model.'));
  const best = pick('best.');
  optimizer.loadState({ step: meta.optimizerStep, buffers: pick('optim.') });
  return { epochsDone: meta.epochsDone, history: meta.history, bestEpoch: meta.bestEpoch, best: best.size > 0 ? best : null };
}
