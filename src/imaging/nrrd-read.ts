import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { endianness } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { InputError } from '../util/errors.js';
import { geometryFromAffine } from './affine.js';
import { sanitizeHu } from './hu.js';
import { checkFileSize, checkShape, DEFAULT_READ_LIMITS, type ReadLimits } from './read-limits.js';
import type { Vec3, Volume } from './volume.js';

type Typed = Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

/** NRRD type names (teem's synonyms) -> bytes and an aligned view. */
const TYPES: [string[], number, (b: ArrayBuffer) => Typed][] = [
  [['signed char', 'int8', 'int8_t'], 1, (b) => new Int8Array(b)],
  [['uchar', 'unsigned char', 'uint8', 'uint8_t'], 1, (b) => new Uint8Array(b)],
  [['short', 'short int', 'signed short', 'signed short int', 'int16', 'int16_t'], 2, (b) => new Int16Array(b)],
  [['ushort', 'unsigned short', 'unsigned short int', 'uint16', 'uint16_t'], 2, (b) => new Uint16Array(b)],
  [['int', 'signed int', 'int32', 'int32_t'], 4, (b) => new Int32Array(b)],
  [['uint', 'unsigned int', 'uint32', 'uint32_t'], 4, (b) => new Uint32Array(b)],
  [['float'], 4, (b) => new Float32Array(b)],
  [['double'], 8, (b) => new Float64Array(b)],
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
  const type = TYPES.find(([names]) => names.includes(typeName));
  if (type === undefined) throw fail('nrrd-header', `type "${typeName}" is not supported`);
  const [, size, view] = type;

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
    if (/^LIST/.test(dataFile) || /%|\s/.test(dataFile)) throw fail('nrrd-data-file', `data file "${dataFile}": lists and patterns are not supported`);
    const folder = dirname(resolve(path));
    const target = resolve(folder, dataFile);
    const rel = relative(folder, target);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw fail('nrrd-data-file', `data file "${dataFile}" lies outside the header's folder`);
    checkFileSize(statSync(target).size, limits, target);
    source = readFileSync(target);
  }
  const encoding = (fields.get('encoding') ?? '').toLowerCase();
  if (encoding === 'gzip' || encoding === 'gz') {
    try {
      source = gunzipSync(source, { maxOutputLength: limits.maxFileBytes });
    } catch (err) {
      throw fail('gzip', `gzip data is corrupt (${String(err)})`);
    }
  } else if (encoding !== 'raw') throw fail('nrrd-header', `encoding "${encoding}" is not supported (raw or gzip)`);
  const needed = shape[0] * shape[1] * shape[2] * size;
  const skip = Number(fields.get('byte skip') ?? '0');
  const start = skip === -1 ? source.length - needed : skip;
  if (!Number.isInteger(start) || start < 0 || start + needed > source.length) {
    throw fail('truncated-voxel-data', `voxel data truncated: ${shape.join('x')} ${typeName} needs ${needed} bytes, ${Math.max(0, source.length - Math.max(0, start))} present`);
  }
  const raw = Buffer.from(source.subarray(start, start + needed));
  const big = (fields.get('endian') ?? 'little').toLowerCase() === 'big';
  if (size > 1 && big === (endianness() === 'LE')) {
    if (size === 2) raw.swap16();
    else if (size === 4) raw.swap32();
    else raw.swap64();
  }
  const values = view(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  const data = values instanceof Int16Array ? values : Float32Array.from(values);
  sanitizeHu(data, path);
  return { data, shape, ...geometryFromAffine(affine, path) };
}

/** The data file a detached NRRD names, besides the header itself. */
export function nrrdFiles(path: string): string[] {
  const head = Buffer.alloc(MAX_HEADER_BYTES);
  const fd = openSync(path, 'r');
  let length: number;
  try {
    length = readSync(fd, head, 0, MAX_HEADER_BYTES, 0);
  } finally {
    closeSync(fd);
  }
  const { fields } = parseNrrdHeader(head.subarray(0, length), path);
  const dataFile = fields.get('data file') ?? fields.get('datafile');
  return dataFile === undefined ? [path] : [path, resolve(dirname(resolve(path)), dataFile)];
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
