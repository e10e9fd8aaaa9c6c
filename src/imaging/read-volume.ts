import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../util/errors.js';
import { readDicomSeries } from './dicom-series.js';
import { metaImageFiles, readMetaImage } from './metaimage-read.js';
import { readNifti } from './nifti-read.js';
import { nrrdFiles, readNrrd } from './nrrd-read.js';
import { DEFAULT_READ_LIMITS, type ReadLimits } from './read-limits.js';
import type { Volume } from './volume.js';

/** Which reader produced a volume (recorded in the patch store index). */
export type ReaderName = 'dicom-series' | 'nifti' | 'metaimage' | 'nrrd';

export interface ReadResult {
  readonly volume: Volume;
  readonly reader: ReaderName;
  /** The files the volume was read from (a series' slices in volume order, a .mhd and its data file). */
  readonly files: readonly string[];
  /** Facts worth showing a user: skipped non-DICOM files, slice positions of a series. */
  readonly notes: readonly string[];
}

/** The reader for a path: a folder is a DICOM series; files go by extension. */
export function readerFor(path: string): ReaderName {
  const lower = path.toLowerCase();
  if (lower.endsWith('.nii') || lower.endsWith('.nii.gz')) return 'nifti';
  if (lower.endsWith('.mhd') || lower.endsWith('.mha')) return 'metaimage';
  if (lower.endsWith('.nrrd') || lower.endsWith('.nhdr')) return 'nrrd';
  let isFolder: boolean;
  try {
    isFolder = statSync(path).isDirectory();
  } catch {
    throw new InputError(`${path}: image not found`, { file: path, rule: 'image-missing' });
  }
  if (isFolder) return 'dicom-series';
  throw new InputError(`${path}: unsupported image format (a DICOM series folder, .nii, .nii.gz, .mhd, .mha, .nrrd or .nhdr is required)`, {
    file: path,
    rule: 'unsupported-format',
  });
}

/**
 * The files an image consists of, found without reading the image: every non-hidden file of a
 * DICOM series folder (sorted by name, as readDicomSeries lists them), a .mhd header and its data
 * file, or the single file. A content hash of these decides whether a stored patch is still valid.
 */
export function sourceFiles(path: string): string[] {
  const reader = readerFor(path);
  if (reader === 'dicom-series') {
    return readdirSync(path, { withFileTypes: true })
      .filter((e) => e.isFile() && !e.name.startsWith('.'))
      .map((e) => join(path, e.name))
      .sort();
  }
  return reader === 'metaimage' ? metaImageFiles(path) : reader === 'nrrd' ? nrrdFiles(path) : [path];
}

/**
 * Reads a CT volume from a DICOM series folder, a NIfTI-1/2 file (.nii, .nii.gz), a MetaImage
 * (.mhd + data, .mha) or a NRRD (.nrrd, .nhdr + data), always into LPS with HU values; every
 * reader checks what ct-input.md's checklist asks and throws InputError naming the file and the rule.
 */
export async function readVolume(path: string, limits: ReadLimits = DEFAULT_READ_LIMITS): Promise<ReadResult> {
  if (!existsSync(path)) throw new InputError(`${path}: image not found`, { file: path, rule: 'image-missing' });
  const reader = readerFor(path);
  if (reader === 'dicom-series') {
    const s = await readDicomSeries(path, limits);
    const notes = [
      `series ${s.seriesUid}: ${s.files.length} slices at ${s.positions[0]?.toFixed(2)}..${s.positions[s.positions.length - 1]?.toFixed(2)} mm along the slice normal`,
    ];
    if (s.ignored.length > 0) notes.push(`skipped ${s.ignored.length} non-DICOM file(s): ${s.ignored.join(', ')}`);
    return { volume: s.volume, reader, files: s.files, notes };
  }
  if (reader === 'nifti') return { volume: readNifti(path, limits), reader, files: [path], notes: [] };
  if (reader === 'nrrd') return { volume: readNrrd(path, limits), reader, files: nrrdFiles(path), notes: [] };
  return { volume: readMetaImage(path, limits), reader, files: metaImageFiles(path), notes: [] };
}
