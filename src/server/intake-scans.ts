import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { checkCentreInside } from '../imaging/extract-patch.js';
import { writeNifti } from '../imaging/nifti-write.js';
import type { ReadLimits } from '../imaging/read-limits.js';
import { readVolume } from '../imaging/read-volume.js';
import { worldBounds, type Vec3, type Volume } from '../imaging/volume.js';
import { CsfnetError, InputError } from '../util/errors.js';
import type { ScanInfo } from './api-types.js';
import { safeUnzip, type UnzipLimits, type UnzippedFile } from './safe-unzip.js';
import { EXTENSION, uploadKind } from './upload-kind.js';

export const TIMEPOINTS = ['t0', 't1'] as const;
export type Timepoint = (typeof TIMEPOINTS)[number];

/** Where a scan comes from: an uploaded file (zip, NIfTI, .mha) or an image already on the server (a cohort's). */
export type ScanSource = { readonly kind: 'upload'; readonly file: string } | { readonly kind: 'path'; readonly path: string };

export interface IntakeTask {
  readonly kind: 'intake';
  /** Scratch folder for unpacking (the caller removes it). */
  readonly workDir: string;
  /** Where the de-identified scans are written: `t0.nii`, `t1.nii`. */
  readonly outDir: string;
  readonly sources: Readonly<Record<Timepoint, ScanSource>>;
  readonly centres: Readonly<Record<Timepoint, Vec3>>;
  readonly unzip: UnzipLimits;
  readonly read: ReadLimits;
}

export type IntakeResult = Record<Timepoint, ScanInfo>;

/**
 * Reads the two scans of a new study and stores the copies the server keeps: for each time point
 * the upload is identified by its bytes, unpacked safely when it is a zip (safe-unzip.ts), read by
 * readVolume (every check of ct-input.md's checklist), the nodule centre is checked to lie inside
 * the volume, and the volume is written as `outDir/<tp>.nii` (NIfTI-1, int16 HU, RAS affine).
 *
 * That NIfTI file is the de-identified copy: it holds the voxels and the geometry only, so no
 * DICOM attribute (patient name or ID, dates, UIDs, institution) and no NIfTI extension or
 * description of the upload reaches the data folder. The raw upload stays in `workDir`, which the
 * caller deletes. Both uploads are unpacked and identified before either is read, so a bad archive
 * is refused at once. Errors are InputErrors naming the time point (and the archive entry); paths
 * of the scratch folder are replaced by those names; an error a reader did not type (a decoder's)
 * becomes "unreadable-scan"; system errors (disk full) pass through as they are.
 */
export async function intakeScans(task: IntakeTask): Promise<IntakeResult> {
  const names = new Map<string, string>();
  const images: Partial<Record<Timepoint, string>> = {};
  for (const tp of TIMEPOINTS) {
    try {
      images[tp] = await locateImage(task, tp, names);
    } catch (err) {
      throw renamePaths(err, tp, task.workDir, names);
    }
  }
  const out: Partial<IntakeResult> = {};
  for (const tp of TIMEPOINTS) {
    try {
      const { volume, reader } = await readVolume(images[tp]!, task.read);
      checkCentreInside(volume, task.centres[tp], tp.toUpperCase(), tp);
      writeNifti(join(task.outDir, `${tp}.nii`), volume);
      out[tp] = scanInfo(volume, reader);
    } catch (err) {
      throw renamePaths(err, tp, task.workDir, names);
    }
  }
  return out as IntakeResult;
}

/** The path readVolume should read for one time point. */
async function locateImage(task: IntakeTask, tp: Timepoint, names: Map<string, string>): Promise<string> {
  const source = task.sources[tp];
  if (source.kind === 'path') return source.path;
  const kind = uploadKind(source.file, tp);
  if (kind !== 'zip') return renamed(source.file, EXTENSION[kind]);
  const folder = join(task.workDir, tp);
  const files: UnzippedFile[] = await safeUnzip(source.file, folder, task.unzip, tp);
  for (const f of files) names.set(f.path, `${tp} entry "${f.entry}"`);
  if (files.length === 1) {
    const only = files[0]!;
    const inner = innerKind(only.path);
    if (inner !== null) {
      const path = renamed(only.path, EXTENSION[inner]);
      names.set(path, `${tp} entry "${only.entry}"`);
      return path;
    }
  }
  return folder;
}

function innerKind(path: string): 'nifti' | 'nifti-gz' | 'metaimage' | null {
  try {
    const k = uploadKind(path, 'entry');
    return k === 'zip' ? null : k;
  } catch {
    return null;
  }
}

function renamed(path: string, extension: string): string {
  const to = `${path}${extension}`;
  renameSync(path, to);
  return to;
}

export function scanInfo(volume: Volume, reader: string): ScanInfo {
  const b = worldBounds(volume);
  return {
    reader,
    shape: [...volume.shape],
    spacing: [...volume.spacing],
    origin: [...volume.origin],
    direction: [...volume.direction],
    bounds: { min: [...b.min], max: [...b.max] },
  };
}

/** The error with scratch-folder paths replaced by "t0 entry "name"" or "t0", so the uploader can read it. */
function renamePaths(err: unknown, tp: Timepoint, workDir: string, names: Map<string, string>): unknown {
  const systemError = err instanceof Error && typeof (err as NodeJS.ErrnoException).syscall === 'string';
  if (systemError || !(err instanceof Error)) return err;
  let message = err instanceof CsfnetError ? err.message : `${tp}: unreadable scan (${err.message})`;
  for (const [path, name] of [...names].sort((a, b) => b[0].length - a[0].length)) message = message.split(path).join(name);
  message = message.split(join(workDir, tp)).join(tp).split(workDir).join('upload');
  if (err instanceof InputError) return new InputError(message, { file: err.file === undefined ? tp : (names.get(err.file) ?? tp), rule: err.rule, cause: err });
  return new InputError(message, { file: tp, rule: 'unreadable-scan', cause: err });
}
