import type { RunCvHooks } from '../train/run-cv.js';
import { bar, formatDuration, Progress } from './progress.js';

/** Progress lines of a cross-validation: preprocessing per scan, then model x fold with epoch, loss, validation AUC and time left. */
export function cvProgress(verbose: boolean): { hooks: RunCvHooks; progress: Progress } {
  const progress = new Progress();
  const started = Date.now();
  let unit = { index: 0, total: 1, label: '' };
  let unitStarted = Date.now();
  const hooks: RunCvHooks = {
    onStage: (stage) => progress.line(`${stage}...`),
    onPreprocess: (p) => {
      if (p.action) progress.update(`preprocess ${bar(p.index / Math.max(p.total, 1))} ${p.index}/${p.total} ${p.subjectId} ${p.timepoint} ${p.action}`);
    },
    onModelFold: (info) => {
      unit = { index: info.index, total: info.total, label: `${info.model} fold ${info.fold + 1}/${info.folds}` };
      unitStarted = Date.now();
    },
    onEpoch: (e) => {
      const done = unit.index + (e.epoch + 1) / e.epochs;
      const elapsed = (Date.now() - started) / 1000;
      const left = (elapsed / done) * (unit.total - done);
      const text = `${bar(done / unit.total)} ${unit.label} epoch ${e.epoch + 1}/${e.epochs} loss ${e.trainLoss.toFixed(3)} val AUC ${Number.isFinite(e.valAuc) ? e.valAuc.toFixed(3) : 'n/a'}${e.best ? '*' : ''} ${formatDuration((Date.now() - unitStarted) / 1000)} | left ~${formatDuration(left)}`;
      if (verbose || e.epoch + 1 === e.epochs) progress.line(text);
      else progress.update(text);
    },
  };
  return { hooks, progress };
}
