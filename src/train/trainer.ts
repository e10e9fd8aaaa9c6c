import { createHash } from 'node:crypto';
import { rocAuc } from '../eval/roc.js';
import { MODEL_PARTS } from '../model/index.js';
import type { CsfNet, Trace } from '../model/index.js';
import { Adam, clipGradNorm, constantSchedule, cosineSchedule } from '../nn/index.js';
import type { Tensor } from '../tensor/index.js';
import { add, crossEntropy, mul, Tensor as T } from '../tensor/index.js';
import { ConfigError } from '../util/errors.js';
import { Rng } from '../util/random.js';
import { makeBatch } from './batch.js';
import { clinicalKeep, hiddenShare } from './clinical-dropout.js';
import type { Batch } from './batch.js';
import { modelInputs } from './model-inputs.js';
import { predictSubjects } from './predict.js';
import type { SubjectSample } from './sample.js';
import { growthReadout, growthTargets, readoutLoss, sizeReadout, sizeTargets, supervisesReadouts } from './size-supervision.js';
import { loadTrainState, saveTrainState } from './train-state.js';
import type { TrainProgress } from './train-state.js';

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  /** Adam learning rate (paper: 1e-4). */
  lr: number;
  seed: number;
  schedule: 'constant' | 'cosine';
  /**
   * Cross-entropy class weights [benign, malignant]; 'balanced' = n / (2 n_class) from the training
   * subjects' labels, so each class carries half the loss; null = unweighted (the paper).
   */
  classWeights: readonly [number, number] | 'balanced' | null;
  /**
   * Which epoch's weights the run keeps: 'val-auc' the best validation AUC (ties: lower validation
   * loss), 'last' the final epoch's (validation is still scored and recorded).
   */
  selection: 'val-auc' | 'last';
  /** Stop after this many epochs without a better validation result; null = never ('val-auc' only: with 'last' it is an error). */
  patience: number | null;
  augment: boolean;
  /**
   * Weight of the auxiliary size loss on the encoder (src/train/size-supervision.ts); 0 = off, the
   * paper's training on the label alone.
   */
  sizeWeight: number;
  /** Weight of the auxiliary growth loss on the temporal fusion's map; 0 = off (the paper). */
  growthWeight: number;
  /** Probability of hiding a training sample's clinical data (src/train/clinical-dropout.ts); 0 = off (the paper). */
  clinicalDropout: number;
  /** Epochs at the start in which every training sample's clinical data is hidden (clinical-dropout.ts' hiddenShare); 0 = none (the paper). */
  clinicalWarmup: number;
  /** Clip the gradient's L2 norm; null = no clipping. */
  gradClip: number | null;
  /** Where to keep the per-epoch training state (for --resume); null = keep nothing. */
  statePath: string | null;
  /** Continue from statePath when it exists. */
  resume: boolean;
}

export { DEFAULT_TRAIN_OPTIONS } from './train-defaults.js';

export interface EpochMetrics {
  epoch: number;
  trainLoss: number;
  valLoss: number;
  valAuc: number;
  lr: number;
  seconds: number;
}

export interface TrainHooks {
  onBatch?: (info: { epoch: number; batch: number; batches: number; loss: number }) => void;
  onEpoch?: (info: EpochMetrics & { best: boolean; epochs: number }) => void;
}

export interface TrainResult {
  history: EpochMetrics[];
  /** Epoch whose weights the model holds at the end (-1: no validation data, last epoch kept). */
  bestEpoch: number;
  stoppedEarly: boolean;
}

/** True when b improves on a: higher validation AUC, ties broken by lower validation loss. */
function better(b: EpochMetrics, a: EpochMetrics | undefined): boolean {
  if (a === undefined) return true;
  const aucA = Number.isNaN(a.valAuc) ? -1 : a.valAuc;
  const aucB = Number.isNaN(b.valAuc) ? -1 : b.valAuc;
  return aucB > aucA || (aucB === aucA && b.valLoss < a.valLoss);
}

/** The cross-entropy weights of a class-weight setting for these training labels (0 benign, 1 malignant). */
export function resolveClassWeights(spec: TrainOptions['classWeights'], labels: readonly number[]): [number, number] | null {
  if (spec === null) return null;
  if (spec !== 'balanced') return [spec[0], spec[1]];
  const malignant = labels.filter((y) => y === 1).length;
  const benign = labels.length - malignant;
  if (malignant === 0 || benign === 0) throw new ConfigError(`balanced class weights need both classes among the training subjects (${benign} benign, ${malignant} malignant)`);
  return [labels.length / (2 * benign), labels.length / (2 * malignant)];
}

/**
 * The training loss of one batch: cross-entropy, plus the auxiliary losses of src/train/size-supervision.ts
 * where their weights are set: size at each time point the model encodes, growth on the temporal
 * fusion's map. T0 is encoded before T1, as in forward, so the running statistics match.
 */
function stepLoss(model: CsfNet, batch: Batch, samples: readonly SubjectSample[], weights: Tensor | null, o: TrainOptions, clinicalKeep: Tensor | undefined): Tensor {
  const aux = supervisesReadouts(o);
  const keep = clinicalKeep ? { clinicalKeep } : {};
  if (!aux || batch.x1 === null) return crossEntropy(model.forward(batch.x0, batch.x1, batch.clin, keep), batch.labels, weights);
  const t0 = batch.x0 ? model.encode(batch.x0) : null;
  const t1 = model.encode(batch.x1);
  const trace: Trace = {};
  let loss = crossEntropy(model.forward(batch.x0, batch.x1, batch.clin, { encoded: { t0, t1 }, trace, ...keep }), batch.labels, weights);
  const addWeighted = (term: Tensor | null, weight: number): void => {
    if (term) loss = add(loss, mul(term, T.scalar(weight)));
  };
  if (o.sizeWeight > 0) {
    for (const [encoded, timepoint] of [[t0, 't0'], [t1, 't1']] as const) {
      if (encoded) addWeighted(readoutLoss(sizeReadout(encoded), sizeTargets(samples, timepoint)), o.sizeWeight);
    }
  }
  if (o.growthWeight > 0 && MODEL_PARTS[model.config.model].fusion === 'temporal' && trace.fused) {
    addWeighted(readoutLoss(growthReadout(trace.fused, model.config.pooling), growthTargets(samples)), o.growthWeight);
  }
  return loss;
}

/** Hash of everything that decides a run's result, so --resume refuses another run's state. */
function fingerprint(model: CsfNet, train: readonly SubjectSample[], val: readonly SubjectSample[], o: TrainOptions): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ config: model.config, o: { ...o, statePath: null, resume: false } }));
  for (const s of [...train, ...val]) h.update(`${s.id}:${s.label};`);
  return h.digest('hex');
}

function cloneState(model: CsfNet): Map<string, Tensor> {
  return new Map([...model.stateDict()].map(([k, t]) => [k, t.clone()]));
}

/**
 * Trains a model with Adam and cross-entropy on `train`, choosing the epoch with the best
 * validation AUC (ties: lower validation loss) on `val`, which must come from training subjects only.
 * Shuffling, augmentation and dropout draw from streams derived from (seed, epoch, batch), and the
 * state after each epoch can be saved, so a resumed run ends with the same weights as an
 * uninterrupted one. At the end the model holds the selected epoch's weights.
 */
export function trainModel(model: CsfNet, train: readonly SubjectSample[], val: readonly SubjectSample[], options: TrainOptions, hooks: TrainHooks = {}): TrainResult {
  const o = options;
  if (train.length === 0) throw new ConfigError('training needs at least one subject');
  if (!(o.epochs >= 1) || !(o.batchSize >= 1)) throw new ConfigError(`epochs (${o.epochs}) and batch size (${o.batchSize}) must be at least 1`);
  const optimizer = new Adam(model.parameters(), { lr: o.lr });
  const schedule = o.schedule === 'cosine' ? cosineSchedule(o.lr, o.epochs) : constantSchedule(o.lr);
  const keepLast = o.selection === 'last';
  if (!(Number.isInteger(o.clinicalWarmup) && o.clinicalWarmup >= 0 && o.clinicalWarmup < o.epochs)) throw new ConfigError(`the clinical warm-up (${o.clinicalWarmup} epochs) must be a whole number of epochs shorter than the training (${o.epochs} epochs)`);
  if (keepLast && o.patience !== null) throw new ConfigError(`early stopping (patience ${o.patience}) needs selection 'val-auc', not 'last'`);
  const classWeights = resolveClassWeights(o.classWeights, train.map((t) => t.label));
  const weights = classWeights ? T.from(classWeights) : null;
  const print = fingerprint(model, train, val, o);
  let progress: TrainProgress = { epochsDone: 0, history: [], bestEpoch: -1, best: null };
  if (o.resume && o.statePath) progress = loadTrainState(o.statePath, model, optimizer, print) ?? progress;
  const inputs = modelInputs(model);
  const root = new Rng(o.seed);
  let stoppedEarly = false;
  for (let epoch = progress.epochsDone; epoch < o.epochs; epoch++) {
    const best = progress.history.find((h) => h.epoch === progress.bestEpoch);
    if (o.patience !== null && best && epoch - progress.bestEpoch > o.patience) {
      stoppedEarly = true;
      break;
    }
    const started = performance.now();
    optimizer.lr = schedule.lrAt(epoch);
    model.train();
    const order = root.fork(`epoch ${epoch} order`).shuffle(train.map((_, i) => i));
    const batches = Math.ceil(order.length / o.batchSize);
    let lossSum = 0;
    for (let b = 0; b < batches; b++) {
      const rng = root.fork(`epoch ${epoch} batch ${b}`);
      model.reseedDropout(rng.nextUint32());
      const chunk = order.slice(b * o.batchSize, (b + 1) * o.batchSize).map((i) => train[i]!);
      const batch = makeBatch(chunk, { augment: o.augment ? rng : undefined, ...inputs });
      const keep = clinicalKeep(model, chunk.length, hiddenShare(epoch, o), root.fork(`epoch ${epoch} batch ${b} clinical dropout`));
      const loss = stepLoss(model, batch, chunk, weights, o, keep);
      optimizer.zeroGrad();
      loss.backward();
      if (o.gradClip !== null) clipGradNorm(model.parameters(), o.gradClip);
      optimizer.step();
      lossSum += loss.item() * chunk.length;
      hooks.onBatch?.({ epoch, batch: b, batches, loss: loss.item() });
    }
    const scored = val.length > 0 ? predictSubjects(model, val, o.batchSize) : null;
    const metrics: EpochMetrics = {
      epoch,
      trainLoss: lossSum / train.length,
      valLoss: scored ? scored.loss : NaN,
      valAuc: scored ? rocAuc(val.map((s) => s.label), scored.probabilities) : NaN,
      lr: optimizer.lr,
      seconds: (performance.now() - started) / 1000,
    };
    const improved = keepLast || (scored !== null && better(metrics, best));
    progress = {
      epochsDone: epoch + 1,
      history: [...progress.history, metrics],
      bestEpoch: improved ? epoch : progress.bestEpoch,
      best: improved && !keepLast ? cloneState(model) : progress.best,
    };
    if (o.statePath) saveTrainState(o.statePath, model, optimizer, progress, print);
    hooks.onEpoch?.({ ...metrics, best: improved, epochs: o.epochs });
  }
  if (keepLast) return { history: progress.history, bestEpoch: progress.bestEpoch, stoppedEarly };
  if (progress.best) model.loadStateDict(progress.best);
  return { history: progress.history, bestEpoch: progress.best ? progress.bestEpoch : -1, stoppedEarly };
}
