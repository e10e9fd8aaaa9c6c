import { endianness } from 'node:os';
import { gzipSync } from 'node:zlib';
import { writeFileAtomic } from '../util/atomic-write.js';
import { InputError } from '../util/errors.js';
import { affineOf, flipLpsRas, quaternionOf } from './affine.js';
import type { Volume } from './volume.js';

/** NIfTI-1 header size and the offset of the voxel data (header + 4-byte empty extension flag). */
const HEADER_BYTES = 348;
const DATA_OFFSET = 352;
/** nifti1.h datatype codes and the xyzt_units code for millimetres. */
const DT_INT16 = 4;
const DT_FLOAT32 = 16;
const UNITS_MM = 2;
/** nifti1.h xform code "scanner-based anatomical coordinates". */
const XFORM_SCANNER_ANAT = 1;

export interface NiftiWriteOptions {
  /** Up to 79 ASCII characters stored in the header's `descrip` field. */
  readonly description?: string;
  /** zlib level for .nii.gz (default 6). */
  readonly gzipLevel?: number;
}

/**
 * Writes a volume as a single-file NIfTI-1 image (.nii, or gzip-compressed when the path ends in
 * .nii.gz), atomically (temporary name, then rename).
 *
 * Layout follows nifti1.h: a 348-byte little-endian header, 4 zero bytes (no extensions), voxel data
 * from offset 352 with i fastest, as `volume.data` already is. Int16Array data is written as
 * DT_INT16, Float32Array as DT_FLOAT32; scl_slope = 1, scl_inter = 0 so the values are stored as
 * they are (HU for scans). The geometry, kept in LPS inside csf-net, is converted to RAS
 * (negating x and y) and written both as sform (exact affine) and qform (quaternion, qfac and
 * pixdim, nifti1.h "METHOD 2"), both with code 1 (scanner anatomical). Returns the file's bytes.
 */
export function writeNifti(path: string, volume: Volume, options: NiftiWriteOptions = {}): Buffer {
  const [nx, ny, nz] = volume.shape;
  const count = nx * ny * nz;
  if (volume.data.length !== count) {
    throw new InputError(`writeNifti: ${path}: data has ${volume.data.length} values, shape ${nx}x${ny}x${nz} needs ${count}`, {
      file: path,
      rule: 'data-length',
    });
  }
  if (!path.endsWith('.nii') && !path.endsWith('.nii.gz')) {
    throw new InputError(`writeNifti: ${path}: the file name must end in .nii or .nii.gz`, { file: path, rule: 'nifti-extension' });
  }
  const header = niftiHeader(volume, options.description ?? '');
  const data = littleEndianBytes(volume.data);
  const raw = Buffer.concat([header, data]);
  const bytes = path.endsWith('.gz') ? gzipSync(raw, { level: options.gzipLevel ?? 6 }) : raw;
  writeFileAtomic(path, bytes);
  return bytes;
}

/** The 352 bytes before the voxel data: header plus the empty extension flag. */
function niftiHeader(volume: Volume, description: string): Buffer {
  const buf = Buffer.alloc(DATA_OFFSET);
  const isInt16 = volume.data instanceof Int16Array;
  buf.writeInt32LE(HEADER_BYTES, 0);
  buf.write('r', 38, 'latin1'); // "regular", kept for Analyze compatibility
  const dims = [3, volume.shape[0], volume.shape[1], volume.shape[2], 1, 1, 1, 1];
  dims.forEach((d, n) => buf.writeInt16LE(d, 40 + 2 * n));
  buf.writeInt16LE(isInt16 ? DT_INT16 : DT_FLOAT32, 70);
  buf.writeInt16LE(isInt16 ? 16 : 32, 72);

  const ras = flipLpsRas(affineOf(volume));
  const rotation = [0, 1, 2].flatMap((r) => [0, 1, 2].map((c) => ras[4 * r + c]! / volume.spacing[c]!));
  const q = quaternionOf(rotation);
  const pixdim = [q.qfac, volume.spacing[0], volume.spacing[1], volume.spacing[2], 0, 0, 0, 0];
  pixdim.forEach((p, n) => buf.writeFloatLE(p, 76 + 4 * n));
  buf.writeFloatLE(DATA_OFFSET, 108); // vox_offset
  buf.writeFloatLE(1, 112); // scl_slope
  buf.writeFloatLE(0, 116); // scl_inter
  buf.writeUInt8(UNITS_MM, 123);
  buf.write(description.replace(/[^\x20-\x7e]/g, '?').slice(0, 79), 148, 'latin1');
  buf.writeInt16LE(XFORM_SCANNER_ANAT, 252); // qform_code
  buf.writeInt16LE(XFORM_SCANNER_ANAT, 254); // sform_code
  [q.b, q.c, q.d, ras[3]!, ras[7]!, ras[11]!].forEach((x, n) => buf.writeFloatLE(x, 256 + 4 * n));
  for (let n = 0; n < 12; n++) buf.writeFloatLE(ras[n]!, 280 + 4 * n); // srow_x, srow_y, srow_z
  buf.write('n+1\0', 344, 'latin1');
  return buf;
}

/** The voxel values as little-endian bytes (a view on little-endian hosts, a swapped copy otherwise). */
function littleEndianBytes(data: Float32Array | Int16Array): Buffer {
  const view = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (endianness() === 'LE') return view;
  const copy = Buffer.from(view);
  if (data instanceof Int16Array) copy.swap16();
  else copy.swap32();
  return copy;
}
