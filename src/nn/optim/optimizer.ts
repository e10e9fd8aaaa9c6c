import type { Tensor } from '../../tensor/index.js';
import type { Parameter } from '../module.js';

/** Per-parameter state of an optimizer, exported for checkpoints (resume continues exactly). */
export interface OptimizerState {
  step: number;
  /** Named buffers per parameter index, e.g. { "0.exp_avg": Tensor }. */
  buffers: Map<string, Tensor>;
}

/** Base of SGD and Adam: a learning rate that schedules can change, and the parameters it updates. */
export abstract class Optimizer {
  lr: number;
  protected stepCount = 0;

  constructor(
    readonly params: readonly Parameter[],
    lr: number,
  ) {
    if (!(lr >= 0)) throw new RangeError(`optimizer: learning rate must be >= 0, got ${lr}`);
    this.lr = lr;
  }

  /** Applies one update from the parameters' current gradients (parameters without one are skipped). */
  abstract step(): void;

  zeroGrad(): void {
    for (const p of this.params) p.grad = null;
  }

  get steps(): number {
    return this.stepCount;
  }

  abstract state(): OptimizerState;
  abstract loadState(state: OptimizerState): void;
}
