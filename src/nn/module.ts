import { Tensor } from '../tensor/index.js';
import { shapeToString } from '../tensor/index.js';
import { ConfigError } from '../util/errors.js';

/** A tensor that is a trainable weight of a module (requires a gradient). */
export class Parameter extends Tensor {
  constructor(value: Tensor) {
    super(value.f32('Parameter'), value.shape, true);
  }
}

export interface LoadReport {
  /** Keys of the state that the module does not have (left unused). */
  unexpected: string[];
}

/**
 * Base of every layer and net, as torch.nn.Module: named parameters, buffers and children in
 * registration order, so `stateDict()` yields PyTorch's dotted names (`layers.4.ch_Linear1.weight`).
 */
export abstract class Module {
  training = true;
  private readonly params = new Map<string, Parameter>();
  private readonly buffers = new Map<string, Tensor>();
  private readonly children = new Map<string, Module>();

  protected param(name: string, value: Tensor): Parameter {
    const p = new Parameter(value);
    this.params.set(name, p);
    return p;
  }

  protected buffer(name: string, value: Tensor): Tensor {
    this.buffers.set(name, value);
    return value;
  }

  protected child<M extends Module>(name: string, module: M): M {
    this.children.set(name, module);
    return module;
  }

  /** Direct children in registration order. */
  namedChildren(): Array<[string, Module]> {
    return [...this.children];
  }

  /** Every parameter, depth-first in registration order, with dotted names. */
  namedParameters(prefix = ''): Array<[string, Parameter]> {
    const out: Array<[string, Parameter]> = [];
    for (const [n, p] of this.params) out.push([prefix + n, p]);
    for (const [n, c] of this.children) out.push(...c.namedParameters(`${prefix}${n}.`));
    return out;
  }

  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Every buffer (running statistics, counters), with dotted names. */
  namedBuffers(prefix = ''): Array<[string, Tensor]> {
    const out: Array<[string, Tensor]> = [];
    for (const [n, b] of this.buffers) out.push([prefix + n, b]);
    for (const [n, c] of this.children) out.push(...c.namedBuffers(`${prefix}${n}.`));
    return out;
  }

  /** Calls fn on this module and every descendant. */
  apply(fn: (m: Module) => void): this {
    fn(this);
    for (const c of this.children.values()) c.apply(fn);
    return this;
  }

  /** Training mode (batch statistics, dropout on) for this module and its descendants. */
  train(mode = true): this {
    return this.apply((m) => {
      m.training = mode;
      m.stateChanged();
    });
  }

  /**
   * Called on this module when its mode changes or a state dict is loaded into it, so that values
   * derived from its parameters (a layer's folded eval weights) can be dropped.
   */
  protected stateChanged(): void {}

  eval(): this {
    return this.train(false);
  }

  /** Parameters and buffers by dotted name, in PyTorch's order (each module: parameters, buffers, then children). */
  stateDict(): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    const visit = (m: Module, prefix: string): void => {
      for (const [n, p] of m.params) out.set(prefix + n, p);
      for (const [n, b] of m.buffers) out.set(prefix + n, b);
      for (const [n, c] of m.children) visit(c, `${prefix}${n}.`);
    };
    visit(this, '');
    return out;
  }

  /**
   * Copies values from `state` into this module's parameters and buffers. Every key of the module
   * must be present with the same shape (else a ConfigError naming the key and both shapes); keys
   * the module lacks are returned as `unexpected`.
   */
  loadStateDict(state: ReadonlyMap<string, Tensor>): LoadReport {
    const own = this.stateDict();
    const missing = [...own.keys()].filter((k) => !state.has(k));
    if (missing.length > 0) {
      throw new ConfigError(`state is missing ${missing.length} key(s): ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ', ...' : ''}`);
    }
    for (const [key, target] of own) {
      const source = state.get(key)!;
      if (source.size !== target.size || source.shape.length !== target.shape.length || source.shape.some((d, i) => d !== target.shape[i])) {
        throw new ConfigError(`${key}: checkpoint shape ${shapeToString(source.shape)} does not match the model's ${shapeToString(target.shape)}`);
      }
      if (target.data instanceof Float32Array) target.data.set(source.f32(key));
      else target.data.set(source.data);
    }
    this.apply((m) => m.stateChanged());
    return { unexpected: [...state.keys()].filter((k) => !own.has(k)) };
  }

  /** Drops every parameter's gradient. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** Number of trainable values. */
  parameterCount(): number {
    return this.parameters().reduce((s, p) => s + p.size, 0);
  }
}
