import { readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { InputError } from '../util/errors.js';
import { geometryFromAffine } from './affine.js';
import { sanitizeHu } from './hu.js';
import { readSamples, sampleBytes, toVolumeData, type SampleType } from './raw-samples.js';
import { checkFileSize, checkShape, DEFAULT_READ_LIMITS, type ReadLimits } from './read-limits.js';
import { readHead, readSidecar, sidecarPath } from './sidecar-file.js';
import type { Vec3, Volume } from './volume.js';

/** NRRD type names (teem's synonyms). */
const TYPES: [readonly string[], SampleType][] = [
  [['signed char', 'int8', 'int8_t'], 'int8'],
  [['uchar', 'unsigned char', 'uint8', 'uint8_t'], 'uint8'],
  [['short', 'short int', 'signed short', 'signed short int', 'int16', 'int16_t'], 'int16'],
  [['ushort', 'unsigned short', 'unsigned short int', 'uint16', 'uint16_t'], 'uint16'],
  [['int', 'signed int', 'int32', 'int32_t'], 'int32'],
  [['uint', 'unsigned int', 'uint32', 'uint32_t'], 'uint32'],
  [['float'], 'float32'],
  [['double'], 'float64'],
];

/** Signs turning each named space into LPS (x, y, z). */
const SPACES: Record<string, Vec3> = {
  'left-posterior-superior': [1, 1, 1],
  'right-anterior-superior': [-1, -1, 1],
  'left-anterior-superior': [1, -1, 1],
};
const SPACE_ALIASES: Record<string, string> = { lps: 'left-posterior-superior', ras: 'right-anterior-superior', las: 'left-anterior-superior' };

const MAX_HEADER_BYTES = 64 * 1024;

/**
 * Reads a 3-D NRRD image (teem's NRRD0001-0005 format: a text header of "field: value" lines, then a
 * blank line and the data, or a detached data file). Supported: the scalar types, raw and gzip
 * encodings, either endianness, byte skip, and a world frame given by `space` (LPS, RAS or LAS,
 * converted to LPS), `space directions` (one vector per axis, spacing included) and `space origin`.
 * An image without space directions has no world geometry and is refused ("nrrd-no-space"), as is
 * a detached data file outside the header's folder ("nrrd-data-file"), missing bytes
 * ("truncated-voxel-data") and anything else outside this list ("nrrd-header").
 */
export function readNrrd(path: string, limits: ReadLimits = DEFAULT_READ_LIMITS): Volume {
  checkFileSize(statSync(path).size, limits, path);
  const bytes = readFileSync(path);
  const { fields, dataStart } = parseNrrdHeader(bytes, path);
  const fail = (rule: string, message: string): InputError => new InputError(`${path}: ${message}`, { file: path, rule });
  if (fields.get('dimension') !== '3') throw fail('single-volume', `dimension is ${fields.get('dimension') ?? 'missing'}; one 3-D volume is required`);
  const sizes = (fields.get('sizes') ?? '').split(/\s+/).map(Number);
  if (sizes.length !== 3) throw fail('nrrd-header', `sizes "${fields.get('sizes') ?? ''}" must give 3 numbers`);
  const shape: Vec3 = [sizes[0]!, sizes[1]!, sizes[2]!];
  checkShape(shape, limits, path);
  const typeName = (fields.get('type') ?? '').toLowerCase();
  const type = TYPES.find(([names]) => names.includes(typeName))?.[1];
  if (type === undefined) throw fail('nrrd-header', `type "${typeName}" is not supported`);

  const spaceName = (fields.get('space') ?? '').toLowerCase();
  const signs = SPACES[SPACE_ALIASES[spaceName] ?? spaceName];
  const directions = fields.get('space directions');
  if (signs === undefined || directions === undefined) {
    throw fail('nrrd-no-space', `no world frame (space "${spaceName}", space directions ${directions === undefined ? 'missing' : 'given'}); LPS, RAS or LAS with space directions is required`);
  }
  const vectors = [...directions.matchAll(/\(([^)]*)\)/g)].map((m) => m[1]!.split(',').map(Number));
  const origin = (/\(([^)]*)\)/.exec(fields.get('space origin') ?? '(0,0,0)')?.[1] ?? '').split(',').map(Number);
  if (vectors.length !== 3 || vectors.some((v) => v.length !== 3) || origin.length !== 3) {
    throw fail('nrrd-header', `space directions "${directions}" / space origin must be three 3-vectors and one 3-vector`);
  }
  const affine = [0, 1, 2].flatMap((r) => [vectors[0]![r]! * signs[r]!, vectors[1]![r]! * signs[r]!, vectors[2]![r]! * signs[r]!, origin[r]! * signs[r]!]).concat([0, 0, 0, 1]);

  let source: Buffer = bytes.subarray(dataStart);
  const dataFile = fields.get('data file') ?? fields.get('datafile');
  if (dataFile !== undefined) {
    source = readSidecar(path, dataFile, 'nrrd-data-file', limits).bytes;
  }
  const encoding = (fields.get('encoding') ?? '').toLowerCase();
  if (encoding === 'gzip' || encoding === 'gz') {
    try {
      source = gunzipSync(source, { maxOutputLength: limits.maxFileBytes });
    } catch (err) {
      throw fail('gzip', `gzip data is corrupt (${String(err)})`);
    }
  } else if (encoding !== 'raw') throw fail('nrrd-header', `encoding "${encoding}" is not supported (raw or gzip)`);
  const needed = shape[0] * shape[1] * shape[2] * sampleBytes(type);
  const skip = Number(fields.get('byte skip') ?? '0');
  const start = skip === -1 ? source.length - needed : skip;
  if (!Number.isInteger(start) || start < 0 || start + needed > source.length) {
    throw fail('truncated-voxel-data', `voxel data truncated: ${shape.join('x')} ${typeName} needs ${needed} bytes, ${Math.max(0, source.length - Math.max(0, start))} present`);
  }
  const big = (fields.get('endian') ?? 'little').toLowerCase() === 'big';
  const data = toVolumeData(readSamples(source.subarray(start, start + needed), type, big));
  sanitizeHu(data, path);
  return { data, shape, ...geometryFromAffine(affine, path) };
}

/** The data file a detached NRRD names, besides the header itself. */
export function nrrdFiles(path: string): string[] {
  const { fields } = parseNrrdHeader(readHead(path, MAX_HEADER_BYTES), path);
  const dataFile = fields.get('data file') ?? fields.get('datafile');
  return dataFile === undefined ? [path] : [path, sidecarPath(path, dataFile, 'nrrd-data-file')];
}

/** Header fields (lower-case names) up to the blank line; dataStart is the byte after it. */
function parseNrrdHeader(bytes: Buffer, path: string): { fields: Map<string, string>; dataStart: number } {
  if (!/^NRRD000[1-5]$/.test(bytes.toString('latin1', 0, Math.max(0, bytes.indexOf(0x0a))).trim())) {
    throw new InputError(`${path}: not a NRRD file (no "NRRD000x" magic line)`, { file: path, rule: 'nrrd-header' });
  }
  const fields = new Map<string, string>();
  let pos = bytes.indexOf(0x0a) + 1;
  while (pos < bytes.length && pos < MAX_HEADER_BYTES) {
    let end = bytes.indexOf(0x0a, pos);
    if (end < 0) end = bytes.length;
    const line = bytes.toString('latin1', pos, end).replace(/\r$/, '');
    pos = end + 1;
    if (line === '') return { fields, dataStart: pos };
    if (line.startsWith('#') || line.includes(':=')) continue;
    const colon = line.indexOf(': ');
    if (colon < 0) throw new InputError(`${path}: header line "${line}" is not "field: value"`, { file: path, rule: 'nrrd-header' });
    fields.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 2).trim());
  }
  if (fields.has('data file') || fields.has('datafile')) return { fields, dataStart: bytes.length };
  throw new InputError(`${path}: NRRD header has no blank line before the data`, { file: path, rule: 'nrrd-header' });
}
