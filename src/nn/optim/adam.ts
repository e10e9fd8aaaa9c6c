import { kernel, noGrad, Tensor } from '../../tensor/index.js';
import type { Parameter } from '../module.js';
import type { OptimizerState } from './optimizer.js';
import { Optimizer } from './optimizer.js';

export interface AdamOptions {
  lr?: number;
  betas?: readonly [number, number];
  eps?: number;
  weightDecay?: number;
  /** AdamW: decay applied to the weights directly instead of through the gradient. */
  decoupled?: boolean;
}

/**
 * torch.optim.Adam (weight decay added to the gradient) and, with `decoupled`, torch.optim.AdamW;
 * defaults as PyTorch (lr 1e-3, betas (0.9, 0.999), eps 1e-8; AdamW weight decay 1e-2).
 */
export class Adam extends Optimizer {
  readonly betas: readonly [number, number];
  readonly eps: number;
  readonly weightDecay: number;
  readonly decoupled: boolean;
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];

  constructor(params: readonly Parameter[], options: AdamOptions = {}) {
    super(params, options.lr ?? 1e-3);
    this.betas = options.betas ?? [0.9, 0.999];
    this.eps = options.eps ?? 1e-8;
    this.decoupled = options.decoupled ?? false;
    this.weightDecay = options.weightDecay ?? (this.decoupled ? 1e-2 : 0);
    this.m = params.map((p) => new Float32Array(p.size));
    this.v = params.map((p) => new Float32Array(p.size));
  }

  step(): void {
    this.stepCount += 1;
    const update = kernel('adamStep');
    noGrad(() => {
      this.params.forEach((p, i) => {
        if (p.grad === null) return;
        update(p.f32(), p.grad.f32(), this.m[i]!, this.v[i]!, this.lr, this.betas[0], this.betas[1], this.eps, this.weightDecay, this.stepCount, this.decoupled);
      });
    });
  }

  state(): OptimizerState {
    const buffers = new Map<string, Tensor>();
    this.params.forEach((p, i) => {
      buffers.set(`${i}.exp_avg`, new Tensor(this.m[i]!.slice(), p.shape));
      buffers.set(`${i}.exp_avg_sq`, new Tensor(this.v[i]!.slice(), p.shape));
    });
    return { step: this.stepCount, buffers };
  }

  loadState(state: OptimizerState): void {
    this.params.forEach((p, i) => {
      for (const [name, target] of [['exp_avg', this.m[i]!], ['exp_avg_sq', this.v[i]!]] as const) {
        const t = state.buffers.get(`${i}.${name}`);
        if (!t || t.size !== p.size) throw new RangeError(`Adam.loadState: ${i}.${name} missing or of the wrong size for parameter ${i}`);
        target.set(t.f32());
      }
    });
    this.stepCount = state.step;
  }
}
