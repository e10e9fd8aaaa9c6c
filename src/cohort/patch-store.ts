import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readNifti } from '../imaging/nifti-read.js';
import { PATCH_SHAPE } from '../imaging/extract-patch.js';
import type { Vec3 } from '../imaging/volume.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { InputError, NotFoundError } from '../util/errors.js';
import { hashFiles } from './source-hash.js';

/**
 * The patch store of ../shared/docs/cohort-format.md: per subject and time point a 16 x 64 x 64
 * float32 patch saved as NIfTI with a world affine (patches/<subject>/<timepoint>.nii.gz), and
 * index.json recording for each patch its source image and that source's content hash, the
 * reader, the centre, the spacings, the patch file's own hash and the nodule measurement.
 */
export const PATCH_STORE_FORMAT = 'csfnet-patch-store';
export const PATCH_STORE_VERSION = 1;
export const INDEX_FILE = 'index.json';

const vec3 = z.tuple([z.number(), z.number(), z.number()]);

const measurementSchema = z.object({
  found: z.boolean(),
  touchesBorder: z.boolean(),
  volumeMm3: z.number(),
  meanDiameterMm: z.number().nullable(),
  longAxisMm: z.number().nullable(),
  shortAxisMm: z.number().nullable(),
  equivalentDiameterMm: z.number().nullable(),
  thresholdHu: z.number(),
  regionMm: z.number(),
  voxelMm: z.number(),
  /** What the adaptive threshold was chosen from (imaging/nodule-threshold); absent for a fixed threshold. */
  levels: z
    .object({
      backgroundHu: z.number(),
      noiseHu: z.number(),
      coreHu: z.number(),
      rimHu: z.number().nullable(),
      floorHu: z.number(),
    })
    .optional(),
});

const entrySchema = z.object({
  subjectId: z.string(),
  timepoint: z.string(),
  days: z.number(),
  /** Patch file, relative to the store folder. */
  patch: z.string(),
  patchSha256: z.string(),
  source: z.object({ image: z.string(), files: z.number(), sha256: z.string() }),
  reader: z.enum(['dicom-series', 'nifti', 'metaimage', 'nrrd']),
  /** Parameters the patch and measurement were made with; a change rebuilds them. */
  params: z.string(),
  centre: vec3,
  sourceShape: vec3,
  sourceSpacing: vec3,
  /** Patch geometry (LPS): 64 x 64 x 16 voxels of 1 mm along the world axes. */
  origin: vec3,
  measurement: measurementSchema,
});

const indexSchema = z.object({
  format: z.literal(PATCH_STORE_FORMAT),
  version: z.literal(PATCH_STORE_VERSION),
  cohort: z.string(),
  entries: z.array(entrySchema),
});

export type PatchMeasurement = z.infer<typeof measurementSchema>;
export type PatchEntry = z.infer<typeof entrySchema>;
export type PatchIndex = z.infer<typeof indexSchema>;

/** One stored patch, ready for a model: data is D x H x W = 16 x 64 x 64 (z, y, x; x fastest). */
export interface StoredPatch {
  readonly entry: PatchEntry;
  readonly data: Float32Array;
  /** [16, 64, 64]. */
  readonly dhw: readonly [number, number, number];
  /** NIfTI/Volume geometry of the patch: shape [64, 64, 16] (x, y, z), spacing 1 mm, LPS origin. */
  readonly geometry: { readonly shape: Vec3; readonly spacing: Vec3; readonly origin: Vec3; readonly direction: readonly number[] };
  readonly measurement: PatchMeasurement;
}

/** The relative path of a patch file; subject ids are escaped so any id is one safe folder name. */
export function patchPath(subjectId: string, timepoint: string): string {
  const safe = subjectId.replace(/[^A-Za-z0-9_-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return join('patches', safe, `${timepoint}.nii.gz`);
}

/** The index of a store, or undefined when there is none yet. A malformed index is an InputError. */
export function readPatchIndex(storeDir: string): PatchIndex | undefined {
  const file = join(storeDir, INDEX_FILE);
  if (!existsSync(file)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InputError(`${file}: not valid JSON (${String(err)})`, { file, rule: 'patch-index' });
  }
  const parsed = indexSchema.safeParse(json);
  if (!parsed.success) {
    throw new InputError(`${file}: not a csf-net patch index (${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`, {
      file,
      rule: 'patch-index',
    });
  }
  return parsed.data;
}

/** Writes the index atomically (entries sorted by subject and time point, stable JSON). */
export function writePatchIndex(storeDir: string, index: PatchIndex): void {
  const entries = [...index.entries].sort((a, b) => (a.subjectId === b.subjectId ? a.timepoint.localeCompare(b.timepoint, 'en', { numeric: true }) : a.subjectId < b.subjectId ? -1 : 1));
  writeFileAtomic(join(storeDir, INDEX_FILE), `${JSON.stringify({ ...index, entries }, null, 2)}\n`);
}

/**
 * Read access to a preprocessed cohort, for training and evaluation: the index entries, and per
 * subject and time point the patch as the model takes it. Reading checks the patch file against the
 * hash recorded when it was written ("patch-changed") and its shape ("patch-shape").
 */
export class PatchStore {
  private constructor(
    readonly dir: string,
    readonly index: PatchIndex,
  ) {}

  /** Opens the store written by preprocessCohort; NotFoundError when there is none. */
  static open(dir: string): PatchStore {
    const index = readPatchIndex(dir);
    if (index === undefined) throw new NotFoundError(`${dir}: no patch store here (no ${INDEX_FILE}); run csfnet preprocess first`);
    return new PatchStore(dir, index);
  }

  /** Subject ids with at least one patch, sorted. */
  subjects(): string[] {
    return [...new Set(this.index.entries.map((e) => e.subjectId))].sort();
  }

  /** The entries of one subject in time order. */
  entriesOf(subjectId: string): PatchEntry[] {
    return this.index.entries.filter((e) => e.subjectId === subjectId).sort((a, b) => a.days - b.days);
  }

  entry(subjectId: string, timepoint: string): PatchEntry {
    const e = this.index.entries.find((x) => x.subjectId === subjectId && x.timepoint === timepoint);
    if (e === undefined) throw new NotFoundError(`${this.dir}: no patch for subject ${subjectId} ${timepoint}`);
    return e;
  }

  read(subjectId: string, timepoint: string): StoredPatch {
    const entry = this.entry(subjectId, timepoint);
    const file = join(this.dir, entry.patch);
    if (!existsSync(file)) throw new InputError(`${file}: patch file missing (listed in ${INDEX_FILE})`, { file, rule: 'patch-missing' });
    if (hashFiles([file]) !== entry.patchSha256) {
      throw new InputError(`${file}: patch file changed since it was written; run csfnet preprocess again`, { file, rule: 'patch-changed' });
    }
    const v = readNifti(file);
    if (!(v.data instanceof Float32Array) || v.shape.join() !== PATCH_SHAPE.join()) {
      throw new InputError(`${file}: patch is ${v.shape.join('x')} ${v.data.constructor.name}, 64x64x16 float32 expected`, { file, rule: 'patch-shape' });
    }
    return {
      entry,
      data: v.data,
      dhw: [PATCH_SHAPE[2], PATCH_SHAPE[1], PATCH_SHAPE[0]],
      geometry: { shape: v.shape, spacing: v.spacing, origin: v.origin, direction: v.direction },
      measurement: entry.measurement,
    };
  }
}
