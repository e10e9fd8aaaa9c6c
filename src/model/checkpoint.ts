import { z } from 'zod';
import { readSafetensorsFile, writeSafetensorsFile } from '../nn/index.js';
import type { Tensor } from '../tensor/index.js';
import { shapeToString } from '../tensor/index.js';
import { ConfigError, InputError } from '../util/errors.js';
import { CsfNet } from './csf-net.js';
import type { CsfNetConfig, ModelName, PatchNormalization } from './variants.js';
import { FUSED_POOLINGS, MODEL_NAMES, NLST_CATEGORIES, NLST_COLUMNS, PATCH_NORMALIZATIONS, VARIANTS } from './variants.js';

/**
 * Checkpoints: safetensors with the official PyTorch parameter names and `__metadata__` strings
 * `csfnet_config` (JSON CsfNetConfig), `clinical_columns` (JSON list) and `clinical_vocab` (JSON list
 * of lists: index i of column c means vocab[c][i]). Checkpoints converted from the public PyTorch
 * code carry none of these: their architecture comes from the caller (default: the paper variant
 * and the NLST columns).
 */
export interface ClinicalSchema {
  columns: string[];
  vocab: string[][];
}

export interface LoadedCheckpoint {
  model: CsfNet;
  clinical: ClinicalSchema;
  /** Official keys of the public code that this implementation does not use, skipped. */
  skipped: string[];
  /** Where the configuration came from. */
  configSource: 'metadata' | 'flags';
  metadata: Record<string, string>;
}

export interface CheckpointOverrides {
  stages?: number[][];
  categories?: number[];
  model?: ModelName;
  normalization?: PatchNormalization;
}

/** Keys of the public code's checkpoints that belong to modules it builds but never uses. */
const UNUSED_OFFICIAL = [/^tep\./, /^cross_atten\./, /^cross_feed\./, /^cls_token$/, /^fc\./, /^tepfushon\.res_conv/];

/** Label encoding the NLST default assumes for the paper's columns (sorted raw values). */
export const NLST_VOCAB: string[][] = [
  ['1', '2', '3', '4', '5', '6', '7'],
  ['0', '1'],
  ['1', '2'],
  Array.from({ length: 20 }, (_, i) => String(55 + i)),
];

const stagesSchema = z.array(z.array(z.number().int().positive()).min(1)).min(1);
const configSchema = z.object({
  model: z.enum(MODEL_NAMES),
  variant: z.string(),
  stages: stagesSchema,
  categories: z.array(z.number().int().positive()),
  attnDropout: z.number().min(0).max(1).default(0.2),
  normalization: z.enum(PATCH_NORMALIZATIONS).default('zscore'),
  pooling: z.enum(FUSED_POOLINGS).default('global'),
});
const schemaSchema = z.object({ columns: z.array(z.string()), vocab: z.array(z.array(z.string())) });

function parseJson<T>(path: string, key: string, text: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new InputError(`${path}: metadata ${key} is not JSON`, { file: path, rule: 'bad-metadata' });
  }
  const r = schema.safeParse(raw);
  if (!r.success) throw new InputError(`${path}: metadata ${key} is invalid: ${r.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`, { file: path, rule: 'bad-metadata' });
  return r.data;
}

/** Loads a checkpoint into a new CsfNet; see the module comment for what comes from where. */
export function loadCheckpoint(path: string, overrides: CheckpointOverrides = {}): LoadedCheckpoint {
  const file = readSafetensorsFile(path);
  const meta = file.metadata;
  let config: CsfNetConfig;
  let configSource: LoadedCheckpoint['configSource'];
  if (meta.csfnet_config !== undefined) {
    const c = parseJson(path, 'csfnet_config', meta.csfnet_config, configSchema);
    config = { ...c, variant: c.variant in VARIANTS ? (c.variant as keyof typeof VARIANTS) : 'custom' };
    configSource = 'metadata';
  } else {
    config = {
      model: overrides.model ?? 'csfnet',
      variant: overrides.stages ? 'custom' : 'paper',
      stages: overrides.stages ?? VARIANTS.paper,
      categories: overrides.categories ?? NLST_CATEGORIES,
      attnDropout: 0.2,
      // The public code's loader hands the network the raw windowed patch (see ../shared/docs/csf-net.md).
      normalization: overrides.normalization ?? 'none',
    };
    configSource = 'flags';
  }
  const clinical: ClinicalSchema = {
    columns: meta.clinical_columns !== undefined ? parseJson(path, 'clinical_columns', meta.clinical_columns, z.array(z.string())) : [...NLST_COLUMNS],
    vocab: meta.clinical_vocab !== undefined ? parseJson(path, 'clinical_vocab', meta.clinical_vocab, z.array(z.array(z.string()))) : NLST_VOCAB,
  };
  schemaSchema.parse(clinical);
  if (clinical.columns.length !== config.categories.length || clinical.vocab.some((v, i) => v.length !== config.categories[i])) {
    throw new ConfigError(`${path}: clinical columns/vocab (${clinical.vocab.map((v) => v.length).join(', ')} values) do not match the categories [${config.categories.join(', ')}]`);
  }
  const model = new CsfNet(config, 0);
  const own = model.stateDict();
  const state = new Map<string, Tensor>();
  const skipped: string[] = [];
  for (const [key, t] of file.tensors) {
    if (own.has(key)) state.set(key, t);
    else if (UNUSED_OFFICIAL.some((re) => re.test(key))) skipped.push(key);
    else throw new ConfigError(`${path}: key ${key} (shape ${shapeToString(t.shape)}) is not a parameter of CSF-Net model ${config.model} with stages ${JSON.stringify(config.stages)}`);
  }
  for (const [key, t] of own) {
    if (!state.has(key)) throw new ConfigError(`${path}: missing key ${key} (the model expects shape ${shapeToString(t.shape)})`);
  }
  try {
    model.loadStateDict(state);
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(`${path}: ${err.message}`);
    throw err;
  }
  return { model, clinical, skipped, configSource, metadata: meta };
}

/** Int tensors PyTorch stores as int64. */
function int64Keys(model: CsfNet): Set<string> {
  return new Set([...model.stateDict()].filter(([, t]) => t.dtype === 'int32').map(([k]) => k));
}

/** Saves a model with its configuration and clinical schema, atomically. */
export function saveCheckpoint(path: string, model: CsfNet, clinical: ClinicalSchema, extra: Record<string, string> = {}): void {
  const metadata = {
    ...extra,
    csfnet_config: JSON.stringify(model.config),
    clinical_columns: JSON.stringify(clinical.columns),
    clinical_vocab: JSON.stringify(clinical.vocab),
  };
  writeSafetensorsFile(path, model.stateDict(), metadata, int64Keys(model));
}
