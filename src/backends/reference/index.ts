import type { Backend, Kernels } from '../../tensor/kernels.js';
import { registerReferenceKernels } from '../../tensor/kernels.js';
import { adamStep } from './adam.js';
import { batchNormApply, batchNormBackward, batchNormStats } from './batch-norm.js';
import { conv3dBackwardData, conv3dBackwardWeight, conv3dForward } from './conv3d.js';
import { axpby, binary, unary, unaryBackward } from './elementwise.js';
import { gather, gatherBackward } from './gather.js';
import { matmul } from './matmul.js';
import { avgPool3dBackward, avgPool3dForward, maxPool3dBackward, maxPool3dForward } from './pool.js';
import { reduceMax, reduceSum } from './reduce.js';
import { adaptiveAvgPool3dBackward, adaptiveAvgPool3dForward, upsampleTrilinearBackward, upsampleTrilinearForward } from './resample.js';
import { logSoftmax, logSoftmaxBackward } from './softmax.js';

/** Every kernel in plain TypeScript: the specification the native backend is tested against. */
export const referenceKernels: Kernels = {
  conv3dForward,
  conv3dBackwardData,
  conv3dBackwardWeight,
  matmul,
  batchNormStats,
  batchNormApply,
  batchNormBackward,
  unary,
  unaryBackward,
  binary,
  axpby,
  reduceSum,
  reduceMax,
  maxPool3dForward,
  maxPool3dBackward,
  avgPool3dForward,
  avgPool3dBackward,
  adaptiveAvgPool3dForward,
  adaptiveAvgPool3dBackward,
  upsampleTrilinearForward,
  upsampleTrilinearBackward,
  logSoftmax,
  logSoftmaxBackward,
  gather,
  gatherBackward,
  adamStep,
};

export const referenceBackend: Backend = { name: 'reference', kernels: referenceKernels };

registerReferenceKernels(referenceKernels);
