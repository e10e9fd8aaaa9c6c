/**
 * The kernel contract: every numeric routine the ops need, by name, on flat typed arrays.
 *
 * Backends register implementations by name. `backends/reference` implements all of them in plain
 * TypeScript (the specification); `backends/native` overrides the hot ones. Ops allocate their
 * outputs and call `kernel(name)`, so a kernel a backend lacks falls back to the reference one
 * without copies. Layout is NCDHW, row-major and contiguous everywhere.
 *
 * Conventions: outputs are overwritten, never accumulated into (accumulation is autograd's job).
 * Inputs are never written. Integer indices are Int32Array.
 */
export type F32 = Float32Array;

/** Sizes of a 3-D convolution or pooling window, input and output included. */
export interface Conv3dGeometry {
  n: number;
  cin: number;
  cout: number;
  id: number;
  ih: number;
  iw: number;
  kd: number;
  kh: number;
  kw: number;
  sd: number;
  sh: number;
  sw: number;
  pd: number;
  ph: number;
  pw: number;
  od: number;
  oh: number;
  ow: number;
}

/** Sizes of a pooling window over (planes = N*C) volumes. */
export interface Pool3dGeometry {
  planes: number;
  id: number;
  ih: number;
  iw: number;
  kd: number;
  kh: number;
  kw: number;
  sd: number;
  sh: number;
  sw: number;
  pd: number;
  ph: number;
  pw: number;
  od: number;
  oh: number;
  ow: number;
}

/** Input and output sizes of a resampling (adaptive pooling, trilinear upsampling) over N*C planes. */
export interface Resample3dGeometry {
  planes: number;
  id: number;
  ih: number;
  iw: number;
  od: number;
  oh: number;
  ow: number;
}

/** A batch-norm call: x viewed as (n, c, spatial). */
export interface BatchNormGeometry {
  n: number;
  c: number;
  spatial: number;
}

export type UnaryOp = 'neg' | 'exp' | 'log' | 'sqrt' | 'abs' | 'relu' | 'sigmoid' | 'tanh';
export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'max' | 'min';

export interface Kernels {
  /** y[n,co,...] = bias[co] + sum_{ci,k} w[co,ci,k] x[n,ci,s*o - p + k]; zero padding. relu: clamp at 0 after. */
  conv3dForward(x: F32, w: F32, bias: F32 | null, y: F32, g: Conv3dGeometry, relu: boolean): void;
  /** dx = gradient of the convolution with respect to its input, given dy. */
  conv3dBackwardData(dy: F32, w: F32, dx: F32, g: Conv3dGeometry): void;
  /** dw (and db when given) = gradient with respect to weight (and bias), given x and dy. */
  conv3dBackwardWeight(x: F32, dy: F32, dw: F32, db: F32 | null, g: Conv3dGeometry): void;

  /**
   * c[b] = op(a[b]) @ op(b[b]) for b < batch; op transposes when the flag is set. a[b] starts at
   * b*strideA (0 broadcasts one matrix), likewise b; c[b] at b*m*n. Shapes after op: (m,k) @ (k,n).
   */
  matmul(a: F32, b: F32, c: F32, batch: number, m: number, k: number, n: number, transA: boolean, transB: boolean, strideA: number, strideB: number): void;

  /** Per-channel mean and biased variance of x over (n, spatial). */
  batchNormStats(x: F32, mean: F32, variance: F32, g: BatchNormGeometry): void;
  /** y = (x - mean[c]) * invstd[c] * gamma[c] + beta[c]; gamma/beta null mean 1 and 0. */
  batchNormApply(x: F32, mean: F32, invstd: F32, gamma: F32 | null, beta: F32 | null, y: F32, g: BatchNormGeometry): void;
  /**
   * Gradients of batchNormApply. training: mean/invstd came from x's own batch statistics (the
   * full PyTorch formula); otherwise they are constants (running statistics). dgamma/dbeta may be null.
   */
  batchNormBackward(x: F32, dy: F32, mean: F32, invstd: F32, gamma: F32 | null, dx: F32, dgamma: F32 | null, dbeta: F32 | null, g: BatchNormGeometry, training: boolean): void;

  /** Element-wise y = op(x). */
  unary(op: UnaryOp, x: F32, y: F32): void;
  /** dx = dy * op'(x); for relu/sigmoid/tanh/exp/sqrt `y` is op(x) (either may be used). */
  unaryBackward(op: UnaryOp, x: F32, y: F32, dy: F32, dx: F32): void;
  /**
   * out = op(a, b) with broadcasting: outShape is the broadcast shape, aStrides/bStrides give each
   * input's element stride per output axis (0 where that input is broadcast).
   */
  binary(op: BinaryOp, a: F32, aStrides: readonly number[], b: F32, bStrides: readonly number[], out: F32, outShape: readonly number[]): void;
  /** y = alpha * x + beta * y, element-wise over equal lengths (gradient accumulation, scaling). */
  axpby(alpha: number, x: F32, beta: number, y: F32): void;
  /** x viewed as (outer, r, inner): y[o, i] = sum_j x[o, j, i]. */
  reduceSum(x: F32, y: F32, outer: number, r: number, inner: number): void;
  /** x viewed as (outer, r, inner): y[o, i] = max_j x[o, j, i], arg[o, i] = first j reaching it (NaN wins). */
  reduceMax(x: F32, y: F32, arg: Int32Array, outer: number, r: number, inner: number): void;

  /** Max pooling with -inf padding; arg holds the flat input index (within the plane) of each maximum. */
  maxPool3dForward(x: F32, y: F32, arg: Int32Array, g: Pool3dGeometry): void;
  maxPool3dBackward(dy: F32, arg: Int32Array, dx: F32, g: Pool3dGeometry): void;
  /** Average pooling, zero padding counted in the divisor (PyTorch count_include_pad=True). */
  avgPool3dForward(x: F32, y: F32, g: Pool3dGeometry): void;
  avgPool3dBackward(dy: F32, dx: F32, g: Pool3dGeometry): void;
  /** PyTorch adaptive_avg_pool3d: bin i spans [floor(i*in/out), ceil((i+1)*in/out)). */
  adaptiveAvgPool3dForward(x: F32, y: F32, g: Resample3dGeometry): void;
  adaptiveAvgPool3dBackward(dy: F32, dx: F32, g: Resample3dGeometry): void;
  /** PyTorch interpolate(mode='trilinear') to the output size, with or without align_corners. */
  upsampleTrilinearForward(x: F32, y: F32, g: Resample3dGeometry, alignCorners: boolean): void;
  upsampleTrilinearBackward(dy: F32, dx: F32, g: Resample3dGeometry, alignCorners: boolean): void;

  /** x viewed as (rows, cols): y = log_softmax over each row. */
  logSoftmax(x: F32, y: F32, rows: number, cols: number): void;
  /** Gradient of logSoftmax given its output y and dy. */
  logSoftmaxBackward(y: F32, dy: F32, dx: F32, rows: number, cols: number): void;
  /** out[i, :] = table[idx[i], :] for a table of `dim` columns. */
  gather(table: F32, idx: Int32Array, out: F32, dim: number): void;
  /** dtable (zeroed first) += scatter of dout rows to idx rows. */
  gatherBackward(dout: F32, idx: Int32Array, dtable: F32, dim: number): void;

  /**
   * One Adam/AdamW update in place. step counts from 1. decoupled: AdamW (p -= lr*wd*p first);
   * otherwise weight decay is added to the gradient (torch.optim.Adam).
   */
  adamStep(p: F32, grad: F32, m: F32, v: F32, lr: number, beta1: number, beta2: number, eps: number, weightDecay: number, step: number, decoupled: boolean): void;
}

export type KernelName = keyof Kernels;

/** A backend: a name and the kernels it implements (the reference backend implements all). */
export interface Backend {
  readonly name: string;
  readonly kernels: Partial<Kernels>;
}

let reference: Kernels | null = null;
let active: Backend | null = null;
const resolved = new Map<KernelName, Kernels[KernelName]>();

/** Registers the complete reference kernels; called by backends/reference when it loads. */
export function registerReferenceKernels(kernels: Kernels): void {
  reference = kernels;
  resolved.clear();
}

/** Makes `backend` the one ops run on; kernels it lacks fall back to the reference ones. */
export function setBackend(backend: Backend): void {
  active = backend;
  resolved.clear();
}

/** The active backend's name ("reference" when none was set). */
export function backendName(): string {
  return active?.name ?? 'reference';
}

/** The implementation of `name` on the active backend, or the reference one. */
export function kernel<K extends KernelName>(name: K): Kernels[K] {
  const hit = resolved.get(name);
  if (hit !== undefined) return hit as Kernels[K];
  if (reference === null) {
    throw new Error(`kernel ${name}: no backend loaded; import a backend (src/backends/index.ts) before running ops`);
  }
  const impl = (active?.kernels[name] ?? reference[name]) as Kernels[K];
  resolved.set(name, impl);
  return impl;
}

/** The reference implementation of `name`, whatever backend is active (for conformance tests). */
export function referenceKernel<K extends KernelName>(name: K): Kernels[K] {
  if (reference === null) throw new Error(`referenceKernel ${name}: the reference backend is not loaded`);
  return reference[name];
}
