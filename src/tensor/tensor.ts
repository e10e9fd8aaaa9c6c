import { ShapeError } from './errors.js';
import { backward as runBackward } from './autograd.js';
import type { Shape } from './shape.js';
import { shapeToString, sizeOf } from './shape.js';

export type DType = 'float32' | 'int32';

/**
 * Where the gradient of one op input goes: the op that made that input, or the leaf tensor itself.
 * Edges point at nodes, not at intermediate tensors, so an activation lives only as long as some
 * op saved it for its backward (as in PyTorch).
 */
export type GradEdge = { readonly node: GradNode; readonly shape: Shape } | { readonly leaf: Tensor; readonly shape: Shape };

/**
 * The op that produced a tensor, kept while a gradient may be needed. `backward` maps the gradient
 * of the output to one gradient per input (null where an input needs none); after use both it and
 * `inputs` are dropped, which frees what it saved and the graph upstream of it.
 */
export interface GradNode {
  readonly op: string;
  /** One edge per op input; null where the input needs no gradient. */
  inputs: readonly (GradEdge | null)[];
  backward: ((dy: Tensor) => readonly (Tensor | null)[]) | null;
}

/**
 * An n-dimensional array: float32 values (int32 for indices) in one contiguous row-major typed
 * array; images are NCDHW. Tensors are immutable by ops (every op returns a new tensor; views made
 * by reshape share storage). Optimizers and batch-norm running statistics update data in place.
 */
export class Tensor {
  readonly data: Float32Array | Int32Array;
  readonly shape: Shape;
  /** Leaf tensors that require a gradient receive it in `grad` on backward(). */
  requiresGrad: boolean;
  grad: Tensor | null = null;
  /** The op that made this tensor, when recorded for autograd (null for leaves). */
  node: GradNode | null = null;

  constructor(data: Float32Array | Int32Array, shape: Shape, requiresGrad = false) {
    const size = sizeOf(shape);
    if (!shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new ShapeError(`Tensor: invalid shape ${shapeToString(shape)}`);
    }
    if (data.length !== size) {
      throw new ShapeError(`Tensor: ${data.length} values do not fill shape ${shapeToString(shape)} (${size})`);
    }
    if (requiresGrad && data instanceof Int32Array) {
      throw new ShapeError('Tensor: an int32 tensor cannot require a gradient');
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.requiresGrad = requiresGrad;
  }

  get dtype(): DType {
    return this.data instanceof Float32Array ? 'float32' : 'int32';
  }

  get rank(): number {
    return this.shape.length;
  }

  get size(): number {
    return this.data.length;
  }

  /** The float32 values; throws naming `op` when the tensor holds int32. */
  f32(op = 'Tensor.f32'): Float32Array {
    if (!(this.data instanceof Float32Array)) throw new ShapeError(`${op}: expected a float32 tensor, got int32 ${shapeToString(this.shape)}`);
    return this.data;
  }

  /** The int32 values; throws naming `op` when the tensor holds float32. */
  i32(op = 'Tensor.i32'): Int32Array {
    if (!(this.data instanceof Int32Array)) throw new ShapeError(`${op}: expected an int32 tensor, got float32 ${shapeToString(this.shape)}`);
    return this.data;
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new ShapeError(`item: tensor of shape ${shapeToString(this.shape)} has ${this.size} values, not 1`);
    return this.data[0]!;
  }

  toArray(): number[] {
    return Array.from(this.data);
  }

  /** The same values, detached from autograd (shares storage). */
  detach(): Tensor {
    return new Tensor(this.data, this.shape);
  }

  /** A copy with its own storage, detached from autograd. */
  clone(): Tensor {
    return new Tensor(this.data.slice(), this.shape);
  }

  /** Computes gradients of this (scalar, unless `grad` is given) tensor for every leaf that requires one. */
  backward(grad?: Tensor): void {
    runBackward(this, grad);
  }

  toString(): string {
    return `Tensor(${this.dtype} ${shapeToString(this.shape)}${this.requiresGrad ? ', requiresGrad' : ''})`;
  }

  static zeros(shape: Shape, requiresGrad = false): Tensor {
    return new Tensor(new Float32Array(sizeOf(shape)), shape, requiresGrad);
  }

  static ones(shape: Shape): Tensor {
    return Tensor.full(shape, 1);
  }

  static full(shape: Shape, value: number): Tensor {
    return new Tensor(new Float32Array(sizeOf(shape)).fill(value), shape);
  }

  static scalar(value: number): Tensor {
    return new Tensor(Float32Array.of(value), []);
  }

  /** A float32 tensor from plain numbers (copied); shape defaults to 1-D. */
  static from(values: ArrayLike<number>, shape: Shape = [values.length], requiresGrad = false): Tensor {
    return new Tensor(Float32Array.from(values), shape, requiresGrad);
  }

  /** An int32 tensor from plain integers (copied). */
  static int(values: ArrayLike<number>, shape: Shape = [values.length]): Tensor {
    const data = Int32Array.from(values);
    for (let i = 0; i < values.length; i++) {
      if (data[i] !== values[i]) throw new ShapeError(`Tensor.int: value ${values[i]} at ${i} is not a 32-bit integer`);
    }
    return new Tensor(data, shape);
  }
}
