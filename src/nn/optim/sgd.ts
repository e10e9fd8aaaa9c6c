import { noGrad, Tensor } from '../../tensor/index.js';
import type { Parameter } from '../module.js';
import type { OptimizerState } from './optimizer.js';
import { Optimizer } from './optimizer.js';

export interface SgdOptions {
  lr: number;
  momentum?: number;
  weightDecay?: number;
}

/**
 * torch.optim.SGD (dampening 0, no Nesterov): g += wd*p; buf = momentum*buf + g (buf = g on the
 * first step); p -= lr * buf.
 */
export class SGD extends Optimizer {
  readonly momentum: number;
  readonly weightDecay: number;
  private readonly buf: Array<Float32Array | null>;

  constructor(params: readonly Parameter[], options: SgdOptions) {
    super(params, options.lr);
    this.momentum = options.momentum ?? 0;
    this.weightDecay = options.weightDecay ?? 0;
    this.buf = params.map(() => null);
  }

  step(): void {
    this.stepCount += 1;
    noGrad(() => {
      this.params.forEach((p, i) => {
        if (p.grad === null) return;
        const w = p.f32();
        const g = p.grad.f32();
        let b = this.buf[i] ?? null;
        if (this.momentum !== 0 && b === null) {
          b = new Float32Array(w.length);
          for (let j = 0; j < w.length; j++) b[j] = g[j]! + this.weightDecay * w[j]!;
          this.buf[i] = b;
        } else if (b !== null) {
          for (let j = 0; j < w.length; j++) b[j] = this.momentum * b[j]! + g[j]! + this.weightDecay * w[j]!;
        }
        for (let j = 0; j < w.length; j++) w[j]! -= this.lr * (b ? b[j]! : g[j]! + this.weightDecay * w[j]!);
      });
    });
  }

  state(): OptimizerState {
    const buffers = new Map<string, Tensor>();
    this.buf.forEach((b, i) => {
      if (b) buffers.set(`${i}.momentum_buffer`, new Tensor(b.slice(), this.params[i]!.shape));
    });
    return { step: this.stepCount, buffers };
  }

  loadState(state: OptimizerState): void {
    this.params.forEach((p, i) => {
      const t = state.buffers.get(`${i}.momentum_buffer`);
      this.buf[i] = t ? t.f32().slice() : null;
      if (t && t.size !== p.size) throw new RangeError(`SGD.loadState: momentum buffer ${i} has the wrong size`);
    });
    this.stepCount = state.step;
  }
}
