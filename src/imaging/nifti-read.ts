import { readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import * as nifti from 'nifti-reader-js';
import { InputError } from '../util/errors.js';
import { flipLpsRas, geometryFromAffine, rotationOfQuaternion } from './affine.js';
import { sanitizeHu } from './hu.js';
import { readSamples, sampleBytes, toVolumeData, type SampleType } from './raw-samples.js';
import { checkFileSize, checkShape, DEFAULT_READ_LIMITS, type ReadLimits } from './read-limits.js';
import type { Vec3, Volume } from './volume.js';

/** nifti1.h datatype codes this reader accepts. */
const DATATYPES: Record<number, SampleType> = {
  2: 'uint8',
  4: 'int16',
  8: 'int32',
  16: 'float32',
  64: 'float64',
  256: 'int8',
  512: 'uint16',
  768: 'uint32',
};

/**
 * Reads a single-file NIfTI-1 or NIfTI-2 image (.nii, .nii.gz) into a Volume in LPS.
 *
 * Header fields are parsed by nifti-reader-js; everything it does not check is checked here
 * (ct-input.md: it returns short buffers silently): one 3-D volume, bounded dimensions, a supported
 * datatype, a data offset past the header, voxel data that is all there, finite values. The
 * voxel-to-world transform follows nibabel's choice: the sform when sform_code > 0, else the qform
 * (quaternion, pixdim, qfac; nifti1.h METHOD 2) when qform_code > 0; a file with neither has no world
 * geometry and is refused, since nodule coordinates could not be placed in it. The RAS affine is
 * converted to LPS by negating x and y. scl_slope/scl_inter are applied when the slope is non-zero
 * (nifti1.h); the data stay Int16Array for unscaled int16 files and become Float32Array otherwise.
 */
export function readNifti(path: string, limits: ReadLimits = DEFAULT_READ_LIMITS): Volume {
  checkFileSize(statSync(path).size, limits, path);
  const bytes = decompressed(readFileSync(path), path, limits);
  const buffer = arrayBufferOf(bytes);
  if (bytes.length < 348 || !nifti.isNIFTI(buffer)) {
    throw new InputError(`${path}: not a NIfTI-1 or NIfTI-2 file (no header magic)`, { file: path, rule: 'nifti-magic' });
  }
  let header: nifti.NIFTI1 | nifti.NIFTI2;
  try {
    header = nifti.readHeader(buffer);
  } catch (err) {
    throw new InputError(`${path}: unreadable NIfTI header (${String(err)})`, { file: path, rule: 'nifti-header', cause: err });
  }
  const version = header instanceof nifti.NIFTI2 ? 2 : 1;
  const dims = header.dims.map(Number);
  const rank = dims[0]!;
  if (!(rank >= 2 && rank <= 7) || dims.slice(4, rank + 1).some((d) => d !== 1)) {
    throw new InputError(`${path}: dims ${dims.slice(0, Math.max(1, rank + 1)).join(',')} do not describe one 3-D volume`, {
      file: path,
      rule: 'single-volume',
    });
  }
  const shape: Vec3 = [dims[1]!, dims[2]!, rank >= 3 ? dims[3]! : 1];
  checkShape(shape, limits, path);
  const type = DATATYPES[header.datatypeCode];
  if (type === undefined) {
    throw new InputError(`${path}: NIfTI datatype ${header.datatypeCode} is not supported (use int16 or float32)`, {
      file: path,
      rule: 'nifti-datatype',
    });
  }
  const count = shape[0] * shape[1] * shape[2];
  const offset = Number(header.vox_offset);
  const minOffset = version === 1 ? 352 : 544;
  if (!Number.isInteger(offset) || offset < minOffset) {
    throw new InputError(`${path}: vox_offset ${offset} lies inside the header (must be >= ${minOffset})`, { file: path, rule: 'nifti-vox-offset' });
  }
  const needed = offset + count * sampleBytes(type);
  if (needed > bytes.length) {
    throw new InputError(`${path}: voxel data truncated: ${shape.join('x')} ${type} needs bytes ${offset}..${needed}, the file has ${bytes.length}`, {
      file: path,
      rule: 'truncated-voxel-data',
    });
  }
  const values = readSamples(bytes.subarray(offset, needed), type, !header.littleEndian);
  const hasScale = Number.isFinite(header.scl_slope) && header.scl_slope !== 0;
  const slope = hasScale ? header.scl_slope : 1;
  const inter = hasScale && Number.isFinite(header.scl_inter) ? header.scl_inter : 0;
  let data: Int16Array | Float32Array;
  if (slope === 1 && inter === 0) data = toVolumeData(values);
  else {
    data = new Float32Array(count);
    for (let n = 0; n < count; n++) data[n] = values[n]! * slope + inter;
  }
  sanitizeHu(data, path);
  const geometry = geometryFromAffine(flipLpsRas(rasAffine(header, new DataView(buffer), version, path)), path);
  return { data, shape, ...geometry };
}

/** The bytes as a whole ArrayBuffer, without a copy when the Buffer already owns all of one. */
function arrayBufferOf(b: Buffer): ArrayBuffer {
  if (b.buffer instanceof ArrayBuffer && b.byteOffset === 0 && b.byteLength === b.buffer.byteLength) return b.buffer;
  return new Uint8Array(b).buffer;
}

/** The file's bytes, gunzipped when they start with the gzip magic (bounded by the size limit). */
function decompressed(raw: Buffer, path: string, limits: ReadLimits): Buffer {
  if (raw.length < 2 || raw[0] !== 0x1f || raw[1] !== 0x8b) return raw;
  try {
    return gunzipSync(raw, { maxOutputLength: limits.maxFileBytes });
  } catch (err) {
    throw new InputError(`${path}: gzip data is corrupt or larger than ${limits.maxFileBytes} bytes (${String(err)})`, {
      file: path,
      rule: 'gzip',
      cause: err,
    });
  }
}

/** Row-major 4x4 RAS voxel-to-world affine: sform first, then qform (nibabel's order). */
function rasAffine(header: nifti.NIFTI1 | nifti.NIFTI2, view: DataView, version: 1 | 2, path: string): number[] {
  if (header.sform_code > 0) {
    const base = version === 1 ? 280 : 400;
    const size = version === 1 ? 4 : 8;
    const srow = Array.from({ length: 12 }, (_, n) =>
      version === 1 ? view.getFloat32(base + n * size, header.littleEndian) : view.getFloat64(base + n * size, header.littleEndian),
    );
    return [...srow, 0, 0, 0, 1];
  }
  if (header.qform_code > 0) {
    const qfac = header.pixDims[0] === -1 ? -1 : 1;
    const r = rotationOfQuaternion(header.quatern_b, header.quatern_c, header.quatern_d, qfac);
    const p = [header.pixDims[1]!, header.pixDims[2]!, header.pixDims[3]!];
    const o = [header.qoffset_x, header.qoffset_y, header.qoffset_z];
    return [0, 1, 2].flatMap((row) => [r[3 * row]! * p[0]!, r[3 * row + 1]! * p[1]!, r[3 * row + 2]! * p[2]!, o[row]!]).concat([0, 0, 0, 1]);
  }
  throw new InputError(`${path}: neither sform_code nor qform_code is set, so the image has no world geometry`, {
    file: path,
    rule: 'nifti-no-transform',
  });
}
