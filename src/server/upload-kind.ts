import { closeSync, openSync, readSync } from 'node:fs';
import { InputError } from '../util/errors.js';

/** What an uploaded scan file is, told by its first bytes (never by the name the client gave). */
export type UploadKind = 'zip' | 'nifti' | 'nifti-gz' | 'metaimage';

/**
 * Sniffs an uploaded file: "PK\x03\x04" (or the empty-archive "PK\x05\x06") is a zip archive
 * (APPNOTE 4.3.7), 1f 8b a gzip stream (RFC 1952, taken as .nii.gz), a header size of 348 or 540
 * in either byte order a NIfTI-1 or NIfTI-2 file (nifti1.h, nifti2.h `sizeof_hdr`), "ObjectType"
 * a MetaImage .mha. Anything else is an InputError "unsupported-upload" naming `label`.
 */
export function uploadKind(path: string, label: string): UploadKind {
  const head = Buffer.alloc(16);
  const fd = openSync(path, 'r');
  let n: number;
  try {
    n = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (n >= 4 && head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6))) return 'zip';
  if (n >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'nifti-gz';
  if (n >= 4) {
    const le = head.readInt32LE(0);
    const be = head.readInt32BE(0);
    if (le === 348 || le === 540 || be === 348 || be === 540) return 'nifti';
  }
  if (head.subarray(0, n).toString('latin1').startsWith('ObjectType')) return 'metaimage';
  throw new InputError(
    `${label}: unsupported file (${n === 0 ? 'empty' : 'unknown format'}): upload a zip of one DICOM series, a NIfTI file (.nii, .nii.gz) or a MetaImage .mha`,
    { file: label, rule: 'unsupported-upload' },
  );
}

/** The file name extension the readers dispatch on (read-volume.ts readerFor). */
export const EXTENSION: Readonly<Record<Exclude<UploadKind, 'zip'>, string>> = { nifti: '.nii', 'nifti-gz': '.nii.gz', metaimage: '.mha' };
