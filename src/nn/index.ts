/** Neural-network building blocks on the tensor engine, PyTorch-compatible in names and numerics. */
export { Module, Parameter } from './module.js';
export { check } from './check.js';
export type { LoadReport } from './module.js';
export { Layer, Conv3d, BatchNorm3d, Linear, Embedding, Dropout, ReLU, Sigmoid, Sequential } from './layers.js';
export type { Conv3dLayerOptions } from './layers.js';
export { MultiheadAttention } from './multihead-attention.js';
export { kaimingUniformDefault, defaultBias, xavierUniform, uniform, normal, fanIn } from './init.js';
export { Optimizer } from './optim/optimizer.js';
export type { OptimizerState } from './optim/optimizer.js';
export { Adam } from './optim/adam.js';
export type { AdamOptions } from './optim/adam.js';
export { SGD } from './optim/sgd.js';
export { cosineSchedule, stepSchedule, constantSchedule, applySchedule } from './optim/schedule.js';
export type { Schedule } from './optim/schedule.js';
export { clipGradNorm } from './optim/clip.js';
export { readSafetensors, readSafetensorsFile, writeSafetensors, writeSafetensorsFile, MAX_HEADER_BYTES } from './safetensors.js';
export type { SafetensorsFile, SafeDType } from './safetensors.js';
