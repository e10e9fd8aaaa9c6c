import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { F32 } from '../../tensor/kernels.js';

/**
 * The C++ addon's surface (native/src/addon.cc, addon-misc.cc). Geometries travel as Int32Arrays in
 * the field order of Conv3dGeometry / Pool3dGeometry; shapes and strides as Float64Arrays. Every
 * binding checks array lengths against the geometry and throws a RangeError naming the kernel.
 */
export interface NativeAddon {
  conv3dForward(x: F32, w: F32, bias: F32 | null, y: F32, geometry: Int32Array, relu: boolean): void;
  conv3dBackwardData(dy: F32, w: F32, dx: F32, geometry: Int32Array): void;
  conv3dBackwardWeight(x: F32, dy: F32, dw: F32, db: F32 | null, geometry: Int32Array): void;
  matmul(a: F32, b: F32, c: F32, batch: number, m: number, k: number, n: number, transA: boolean, transB: boolean, strideA: number, strideB: number): void;
  batchNormStats(x: F32, mean: F32, variance: F32, n: number, c: number, spatial: number): void;
  batchNormApply(x: F32, mean: F32, invstd: F32, gamma: F32 | null, beta: F32 | null, y: F32, n: number, c: number, spatial: number): void;
  batchNormBackward(x: F32, dy: F32, mean: F32, invstd: F32, gamma: F32 | null, dx: F32, dgamma: F32 | null, dbeta: F32 | null, n: number, c: number, spatial: number, training: boolean): void;
  unary(op: string, x: F32, y: F32): void;
  unaryBackward(op: string, x: F32, y: F32, dy: F32, dx: F32): void;
  binary(op: string, a: F32, aStrides: Float64Array, b: F32, bStrides: Float64Array, out: F32, outShape: Float64Array): void;
  axpby(alpha: number, x: F32, beta: number, y: F32): void;
  reduceSum(x: F32, y: F32, outer: number, r: number, inner: number): void;
  reduceMax(x: F32, y: F32, arg: Int32Array, outer: number, r: number, inner: number): void;
  maxPool3dForward(x: F32, y: F32, arg: Int32Array, geometry: Int32Array): void;
  maxPool3dBackward(dy: F32, arg: Int32Array, dx: F32, geometry: Int32Array): void;
  avgPool3dForward(x: F32, y: F32, geometry: Int32Array): void;
  avgPool3dBackward(dy: F32, dx: F32, geometry: Int32Array): void;
  adaptiveAvgPool3dForward(x: F32, y: F32, geometry: Int32Array): void;
  adaptiveAvgPool3dBackward(dy: F32, dx: F32, geometry: Int32Array): void;
  upsampleTrilinearForward(x: F32, y: F32, geometry: Int32Array, alignCorners: boolean): void;
  upsampleTrilinearBackward(dy: F32, dx: F32, geometry: Int32Array, alignCorners: boolean): void;
  adamStep(p: F32, grad: F32, m: F32, v: F32, lr: number, beta1: number, beta2: number, eps: number, weightDecay: number, step: number, decoupled: boolean): void;
  /**
   * Turns the direct convolution kernels (native/src/direct-conv.h: layers with at most 4 channels on
   * the side kept in registers) on or off; off, every convolution runs as a GEMM. On by default.
   */
  setDirectConv(enabled: boolean): void;
  directConv(): boolean;
  /** Sets the pool size (the calling thread included). */
  setThreads(threads: number): void;
  threads(): number;
  /** The instruction-set level in use: 'avx512', 'avx2' or 'portable'. */
  isa(): string;
  /** Levels this CPU and build can run, best first. */
  availableIsas(): string[];
  setIsa(name: string): void;
  hasAvx2Fma(): boolean;
  /** Whether loading raised glibc's mmap/trim thresholds (off with CSFNET_MALLOC_TUNE=0). */
  mallocTuned: boolean;
}

/** Where node-gyp puts the addon, relative to the repository root (dist/src/backends/native/ is 4 levels down). */
export const ADDON_PATH = fileURLToPath(new URL('../../../../native/build/Release/csfnet_native.node', import.meta.url));

export type AddonLoad = { ok: true; addon: NativeAddon } | { ok: false; reason: string };

const EXPECTED = ['conv3dForward', 'conv3dBackwardData', 'conv3dBackwardWeight', 'matmul', 'setThreads', 'isa', 'availableIsas', 'setIsa', 'hasAvx2Fma'] as const;

function isAddon(value: unknown): value is NativeAddon {
  if (typeof value !== 'object' || value === null) return false;
  return EXPECTED.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');
}

/** Loads the compiled addon; never throws: a failure comes back as a one-line reason. */
export function loadNativeAddon(path: string = ADDON_PATH): AddonLoad {
  let loaded: unknown;
  try {
    loaded = createRequire(import.meta.url)(path);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'MODULE_NOT_FOUND') return { ok: false, reason: `the native addon is not built (${path} missing; npm ci builds it, or run npm run build:native)` };
    return { ok: false, reason: `the native addon failed to load: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` };
  }
  if (!isAddon(loaded)) return { ok: false, reason: `the native addon at ${path} lacks the expected functions (rebuild it: npm run build:native)` };
  return { ok: true, addon: loaded };
}
