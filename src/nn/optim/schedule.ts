import type { Optimizer } from './optimizer.js';

/** A learning-rate schedule: lrAt(epoch) for epoch = 0, 1, ...; apply() sets it on the optimizer. */
export interface Schedule {
  lrAt(epoch: number): number;
}

/** torch.optim.lr_scheduler.CosineAnnealingLR (closed form): min + (base - min)(1 + cos(pi e / T)) / 2. */
export function cosineSchedule(base: number, totalEpochs: number, minLr = 0): Schedule {
  return {
    lrAt: (e) => minLr + ((base - minLr) * (1 + Math.cos((Math.PI * Math.min(e, totalEpochs)) / Math.max(totalEpochs, 1)))) / 2,
  };
}

/** torch.optim.lr_scheduler.StepLR: base * gamma^floor(e / stepSize). */
export function stepSchedule(base: number, stepSize: number, gamma = 0.1): Schedule {
  return { lrAt: (e) => base * gamma ** Math.floor(e / stepSize) };
}

export function constantSchedule(base: number): Schedule {
  return { lrAt: () => base };
}

export function applySchedule(optimizer: Optimizer, schedule: Schedule, epoch: number): void {
  optimizer.lr = schedule.lrAt(epoch);
}
