import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { backendSelection, useBackend } from '../backends/index.js';
import { gradCam } from '../model/grad-cam.js';
import { loadCheckpoint, type LoadedCheckpoint } from '../model/checkpoint.js';
import { MODEL_PARTS } from '../model/variants.js';
import { Tensor } from '../tensor/index.js';
import type { Prediction } from './api-types.js';
import { clinicalRow, encodeForCheckpoint } from './clinical-inputs.js';
import type { ClinicalInput } from './study-input.js';

let cached: { path: string; mtimeMs: number; loaded: LoadedCheckpoint } | null = null;

/**
 * The checkpoint at `path`, loaded once per worker process (again only when the file changes), and
 * the compute backend chosen once: native when built, with `threads` threads, else the reference.
 */
export function networkFor(path: string, threads: number): LoadedCheckpoint {
  const mtimeMs = statSync(path).mtimeMs;
  if (cached === null || cached.path !== path || cached.mtimeMs !== mtimeMs) {
    if (backendSelection() === null) useBackend('auto', { threads, announce: null });
    cached = { path, mtimeMs, loaded: loadCheckpoint(path) };
  }
  return cached.loaded;
}

/** The backend in use in a few words ("native backend (avx2, 1 thread)", "reference backend"). */
function backendText(): string {
  const s = backendSelection();
  if (s?.native) return `native backend (${s.native.isa}, ${s.native.threads} thread${s.native.threads === 1 ? '' : 's'})`;
  return 'reference backend';
}

export interface NetworkOutput {
  readonly prediction: Prediction;
  /** Grad-CAM maps on the patch grid (16 x 64 x 64, x fastest), null for a time point the model does not use. */
  readonly cam: { readonly t0: Float32Array | null; readonly t1: Float32Array | null };
  /** The backend in use, in words. */
  readonly backendLine: string;
}

/**
 * Runs the checkpoint's network on one study: the two windowed patches as (1, 1, 16, 64, 64)
 * tensors, the clinical fields encoded with the checkpoint's vocabulary, and Grad-CAM
 * (model/grad-cam.ts), which returns P(malignant) (softmax of the two logits) with the maps.
 */
export function runNetwork(path: string, threads: number, patches: { t0: Float32Array; t1: Float32Array }, clinical: ClinicalInput): NetworkOutput {
  const { model, clinical: schema } = networkFor(path, threads);
  const parts = MODEL_PARTS[model.config.model];
  const shape = [1, 1, 16, 64, 64];
  const x0 = new Tensor(patches.t0, shape);
  const x1 = new Tensor(patches.t1, shape);
  const clin = parts.clinical ? new Tensor(encodeForCheckpoint(clinical, schema), [1, schema.columns.length]) : null;
  const maps = gradCam(model, x0, x1, clin);
  const row = clinicalRow(clinical);
  const used: Record<string, string> = {};
  if (parts.clinical) for (const c of schema.columns) used[c] = row[c] ?? '';
  return {
    prediction: {
      p_malignant: maps.pMalignant,
      model: model.config.model,
      variant: model.config.variant,
      checkpoint: basename(path),
      backend: backendSelection()?.name ?? 'reference',
      clinical: used,
    },
    cam: { t0: maps.t0, t1: maps.t1 },
    backendLine: backendText(),
  };
}
