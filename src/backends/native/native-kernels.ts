import type { Conv3dGeometry, Kernels, Pool3dGeometry, Resample3dGeometry } from '../../tensor/kernels.js';
import type { NativeAddon } from './native-addon.js';

/**
 * The kernels the C++ addon implements, adapted to the Kernels contract (src/tensor/kernels.ts):
 * geometries are copied into reused Int32Arrays in field order, shapes into Float64Arrays. Kernels
 * absent here (log-softmax and gather, tiny in CSF-Net) fall back to the reference backend.
 */
export type NativeKernelName =
  | 'conv3dForward'
  | 'conv3dBackwardData'
  | 'conv3dBackwardWeight'
  | 'matmul'
  | 'batchNormStats'
  | 'batchNormApply'
  | 'batchNormBackward'
  | 'unary'
  | 'unaryBackward'
  | 'binary'
  | 'axpby'
  | 'reduceSum'
  | 'reduceMax'
  | 'maxPool3dForward'
  | 'maxPool3dBackward'
  | 'avgPool3dForward'
  | 'avgPool3dBackward'
  | 'adaptiveAvgPool3dForward'
  | 'adaptiveAvgPool3dBackward'
  | 'upsampleTrilinearForward'
  | 'upsampleTrilinearBackward'
  | 'adamStep';

export type NativeKernels = Pick<Kernels, NativeKernelName>;

const CONV_FIELDS = ['n', 'cin', 'cout', 'id', 'ih', 'iw', 'kd', 'kh', 'kw', 'sd', 'sh', 'sw', 'pd', 'ph', 'pw', 'od', 'oh', 'ow'] as const;
const RESAMPLE_FIELDS = ['planes', 'id', 'ih', 'iw', 'od', 'oh', 'ow'] as const;
const POOL_FIELDS = ['planes', 'id', 'ih', 'iw', 'kd', 'kh', 'kw', 'sd', 'sh', 'sw', 'pd', 'ph', 'pw', 'od', 'oh', 'ow'] as const;

export function createNativeKernels(addon: NativeAddon): NativeKernels {
  const conv = new Int32Array(CONV_FIELDS.length);
  const pool = new Int32Array(POOL_FIELDS.length);
  const resample = new Int32Array(RESAMPLE_FIELDS.length);
  const resampleGeometry = (g: Resample3dGeometry): Int32Array => {
    for (let i = 0; i < RESAMPLE_FIELDS.length; i++) resample[i] = g[RESAMPLE_FIELDS[i]!];
    return resample;
  };
  const convGeometry = (g: Conv3dGeometry): Int32Array => {
    for (let i = 0; i < CONV_FIELDS.length; i++) conv[i] = g[CONV_FIELDS[i]!];
    return conv;
  };
  const poolGeometry = (g: Pool3dGeometry): Int32Array => {
    for (let i = 0; i < POOL_FIELDS.length; i++) pool[i] = g[POOL_FIELDS[i]!];
    return pool;
  };
  return {
    conv3dForward: (x, w, bias, y, g, relu) => addon.conv3dForward(x, w, bias, y, convGeometry(g), relu),
    conv3dBackwardData: (dy, w, dx, g) => addon.conv3dBackwardData(dy, w, dx, convGeometry(g)),
    conv3dBackwardWeight: (x, dy, dw, db, g) => addon.conv3dBackwardWeight(x, dy, dw, db, convGeometry(g)),
    matmul: (a, b, c, batch, m, k, n, transA, transB, strideA, strideB) => addon.matmul(a, b, c, batch, m, k, n, transA, transB, strideA, strideB),
    batchNormStats: (x, mean, variance, g) => addon.batchNormStats(x, mean, variance, g.n, g.c, g.spatial),
    batchNormApply: (x, mean, invstd, gamma, beta, y, g) => addon.batchNormApply(x, mean, invstd, gamma, beta, y, g.n, g.c, g.spatial),
    batchNormBackward: (x, dy, mean, invstd, gamma, dx, dgamma, dbeta, g, training) =>
      addon.batchNormBackward(x, dy, mean, invstd, gamma, dx, dgamma, dbeta, g.n, g.c, g.spatial, training),
    unary: (op, x, y) => addon.unary(op, x, y),
    unaryBackward: (op, x, y, dy, dx) => addon.unaryBackward(op, x, y, dy, dx),
    binary: (op, a, aStrides, b, bStrides, out, outShape) =>
      addon.binary(op, a, Float64Array.from(aStrides), b, Float64Array.from(bStrides), out, Float64Array.from(outShape)),
    axpby: (alpha, x, beta, y) => addon.axpby(alpha, x, beta, y),
    reduceSum: (x, y, outer, r, inner) => addon.reduceSum(x, y, outer, r, inner),
    reduceMax: (x, y, arg, outer, r, inner) => addon.reduceMax(x, y, arg, outer, r, inner),
    maxPool3dForward: (x, y, arg, g) => addon.maxPool3dForward(x, y, arg, poolGeometry(g)),
    maxPool3dBackward: (dy, arg, dx, g) => addon.maxPool3dBackward(dy, arg, dx, poolGeometry(g)),
    avgPool3dForward: (x, y, g) => addon.avgPool3dForward(x, y, poolGeometry(g)),
    avgPool3dBackward: (dy, dx, g) => addon.avgPool3dBackward(dy, dx, poolGeometry(g)),
    adaptiveAvgPool3dForward: (x, y, g) => addon.adaptiveAvgPool3dForward(x, y, resampleGeometry(g)),
    adaptiveAvgPool3dBackward: (dy, dx, g) => addon.adaptiveAvgPool3dBackward(dy, dx, resampleGeometry(g)),
    upsampleTrilinearForward: (x, y, g, alignCorners) => addon.upsampleTrilinearForward(x, y, resampleGeometry(g), alignCorners),
    upsampleTrilinearBackward: (dy, dx, g, alignCorners) => addon.upsampleTrilinearBackward(dy, dx, resampleGeometry(g), alignCorners),
    adamStep: (p, grad, m, v, lr, beta1, beta2, eps, weightDecay, step, decoupled) => addon.adamStep(p, grad, m, v, lr, beta1, beta2, eps, weightDecay, step, decoupled),
  };
}
