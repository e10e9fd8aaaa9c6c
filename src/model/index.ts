/** CSF-Net and its ablations, checkpoints and Grad-CAM. */
export { CsfNet } from './csf-net.js';
export type { Trace, ForwardOptions } from './csf-net.js';
export { centralCells, pooledCells } from './central-cells.js';
export { loadCheckpoint, saveCheckpoint, NLST_VOCAB } from './checkpoint.js';
export type { ClinicalSchema, LoadedCheckpoint, CheckpointOverrides } from './checkpoint.js';
export { gradCam } from './grad-cam.js';
export type { GradCamMaps } from './grad-cam.js';
export { configFor, MODEL_NAMES, MODEL_PARTS, NLST_CATEGORIES, NLST_COLUMNS, VARIANTS } from './variants.js';
export type { CsfNetConfig, FusedPooling, ModelName, PatchNormalization, VariantName } from './variants.js';
export type { Stages } from './spatial-encoder.js';
