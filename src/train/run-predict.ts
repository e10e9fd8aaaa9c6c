import { join, resolve } from 'node:path';
import { loadCohort } from '../cohort/load-cohort.js';
import { encodeClinical } from '../cohort/clinical-vocab.js';
import type { ClinicalVocab } from '../cohort/clinical-vocab.js';
import { defaultStoreDir, preprocessCohort } from '../cohort/preprocess-cohort.js';
import { PatchStore } from '../cohort/patch-store.js';
import { readNifti } from '../imaging/nifti-read.js';
import { writeNifti } from '../imaging/nifti-write.js';
import type { Volume } from '../imaging/volume.js';
import type { ClinicalSchema, LoadedCheckpoint } from '../model/index.js';
import { gradCam, MODEL_PARTS } from '../model/index.js';
import { noGrad, softmax, Tensor } from '../tensor/index.js';
import { InputError, NotFoundError } from '../util/errors.js';
import { PATCH_SHAPE } from './sample.js';

export type PatchGeometry = Pick<Volume, 'shape' | 'spacing' | 'origin' | 'direction'>;

export interface PatchInput {
  data: Float32Array;
  geometry: PatchGeometry;
  source: string;
}

export interface PredictResult {
  pMalignant: number;
  logits: [number, number];
  model: string;
  checkpoint: string;
  clinical: Record<string, string>;
  skippedKeys: string[];
  saliency: string[];
}

/** A preprocessed patch file: 64 x 64 x 16 (x, y, z) float32 NIfTI, every voxel finite. */
export function readPatchFile(path: string): PatchInput {
  let v: Volume;
  try {
    v = readNifti(path);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`${path}: not a readable NIfTI patch (${(err as Error).message})`, { file: path, rule: 'unreadable' });
  }
  const expected = [PATCH_SHAPE[2], PATCH_SHAPE[1], PATCH_SHAPE[0]];
  if (v.shape.join() !== expected.join()) throw new InputError(`${path}: patch is ${v.shape.join('x')} voxels, ${expected.join('x')} expected (csfnet preprocess writes them)`, { file: path, rule: 'patch-shape' });
  const data = Float32Array.from(v.data);
  const bad = data.findIndex((x) => !Number.isFinite(x));
  if (bad >= 0) throw new InputError(`${path}: voxel ${bad} is ${data[bad]}; patches must hold finite values`, { file: path, rule: 'non-finite-voxel' });
  return { data, geometry: { shape: v.shape, spacing: v.spacing, origin: v.origin, direction: v.direction }, source: path };
}

/** "race=1,cigsmok=1,gender=2,age=63" -> encoded through the checkpoint's schema (errors list accepted values). */
export function parseClinical(text: string, schema: ClinicalSchema): { indices: Int32Array; values: Record<string, string> } {
  const values: Record<string, string> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p.length > 0)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new InputError(`--clinical: "${part}" is not column=value`, { rule: 'clinical-syntax' });
    const column = part.slice(0, eq).trim();
    if (!schema.columns.includes(column)) throw new InputError(`--clinical: unknown column "${column}"; the checkpoint expects ${schema.columns.join(', ')}`, { rule: 'clinical-column-unknown' });
    values[column] = part.slice(eq + 1).trim();
  }
  const missing = schema.columns.filter((c) => !(c in values));
  if (missing.length > 0) throw new InputError(`--clinical: missing ${missing.join(', ')}; the checkpoint expects ${schema.columns.map((c, i) => `${c} (one of ${schema.vocab[i]!.map((v) => JSON.stringify(v)).join(', ')})`).join('; ')}`, { rule: 'clinical-column-missing' });
  const vocab: ClinicalVocab = Object.fromEntries(schema.columns.map((c, i) => [c, schema.vocab[i]!]));
  return { indices: encodeClinical(values, schema.columns, vocab), values };
}

/** The patches and clinical row of one cohort subject, made by the same preprocessing as training. */
export async function cohortInputs(cohortDir: string, subjectId: string, storeDir?: string): Promise<{ t0: PatchInput | null; t1: PatchInput | null; row: Record<string, string> }> {
  const store = resolve(storeDir ?? defaultStoreDir(cohortDir));
  await preprocessCohort(cohortDir, { out: store });
  const cohort = loadCohort(cohortDir);
  const subject = cohort.subjects.find((s) => s.id === subjectId);
  if (!subject) throw new NotFoundError(`subject ${subjectId} is not in ${cohortDir}/subjects.csv`);
  const patches = PatchStore.open(store);
  const read = (tp: string): PatchInput | null => {
    if (!patches.entriesOf(subjectId).some((e) => e.timepoint === tp)) return null;
    const p = patches.read(subjectId, tp);
    return { data: p.data, geometry: { ...p.geometry }, source: join(store, p.entry.patch) };
  };
  return { t0: read('T0'), t1: read('T1'), row: { ...subject.clinical } };
}

/**
 * P(malignant) of one subject from its T0/T1 patches and clinical values, with optional Grad-CAM
 * volumes (NIfTI in the patch geometry, so a viewer overlays them on the patch and the scan).
 */
export function predictOne(ckpt: LoadedCheckpoint, checkpointPath: string, t0: PatchInput | null, t1: PatchInput | null, clinical: { indices: Int32Array; values: Record<string, string> }, saliencyDir?: string): PredictResult {
  const parts = MODEL_PARTS[ckpt.model.config.model];
  if (parts.image && t1 === null) throw new InputError('the T1 patch is required', { rule: 'patch-missing' });
  if (parts.t0 && t0 === null) throw new InputError(`model ${ckpt.model.config.model} needs the T0 patch too`, { rule: 'patch-missing' });
  const tensor = (p: PatchInput | null): Tensor | null => (p ? new Tensor(p.data, [1, 1, ...PATCH_SHAPE]) : null);
  const x0 = parts.t0 ? tensor(t0) : null;
  const x1 = parts.image ? tensor(t1) : null;
  const clin = new Tensor(clinical.indices, [1, clinical.indices.length]);
  const model = ckpt.model.eval();
  const logits = noGrad(() => model.forward(x0, x1, parts.clinical ? clin : null));
  const p = softmax(logits).f32()[1]!;
  const saliency: string[] = [];
  if (saliencyDir && x1 && t1) {
    const maps = gradCam(model, x0, x1, parts.clinical ? clin : null);
    for (const [name, map, geometry] of [['T0', maps.t0, t0?.geometry], ['T1', maps.t1, t1.geometry]] as const) {
      if (!map || !geometry) continue;
      const file = join(saliencyDir, `gradcam-${name}.nii.gz`);
      writeNifti(file, { ...geometry, data: map });
      saliency.push(resolve(file));
    }
  }
  return { pMalignant: p, logits: [logits.f32()[0]!, logits.f32()[1]!], model: model.config.model, checkpoint: resolve(checkpointPath), clinical: clinical.values, skippedKeys: ckpt.skipped, saliency };
}
