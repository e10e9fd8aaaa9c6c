import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { endianness } from 'node:os';
import { inflateSync } from 'node:zlib';
import { InputError } from '../util/errors.js';
import { geometryFromAffine } from './affine.js';
import { sanitizeHu } from './hu.js';
import { checkFileSize, checkShape, DEFAULT_READ_LIMITS, type ReadLimits } from './read-limits.js';
import type { Vec3, Volume } from './volume.js';

type Typed = Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

/** MetaIO element types this reader accepts, with their byte size and an aligned view. */
const ELEMENT_TYPES: Record<string, { bytes: number; view: (b: ArrayBuffer) => Typed }> = {
  MET_UCHAR: { bytes: 1, view: (b) => new Uint8Array(b) },
  MET_CHAR: { bytes: 1, view: (b) => new Int8Array(b) },
  MET_SHORT: { bytes: 2, view: (b) => new Int16Array(b) },
  MET_USHORT: { bytes: 2, view: (b) => new Uint16Array(b) },
  MET_INT: { bytes: 4, view: (b) => new Int32Array(b) },
  MET_UINT: { bytes: 4, view: (b) => new Uint32Array(b) },
  MET_FLOAT: { bytes: 4, view: (b) => new Float32Array(b) },
  MET_DOUBLE: { bytes: 8, view: (b) => new Float64Array(b) },
};

/** The longest header text accepted before ElementDataFile (MetaIO headers are a few hundred bytes). */
const MAX_HEADER_BYTES = 64 * 1024;

/**
 * Reads a MetaImage (ITK MetaIO): a .mhd header with its data in another file, or a .mha with the
 * data after the header (ElementDataFile = LOCAL).
 *
 * Header keys follow MetaIO: NDims (3), DimSize, ElementSpacing (or ElementSize), Offset (or
 * Position, Origin), TransformMatrix, ElementType, ElementByteOrderMSB (or BinaryDataByteOrderMSB),
 * CompressedData (zlib), HeaderSize (-1: data at the end of the file), ElementNumberOfChannels (1),
 * ElementDataFile (last). World coordinates are LPS, as ITK's are. TransformMatrix lists the world
 * direction of axis i, then j, then k (ITK MetaImageIO: SetDirection(axis, row of the matrix)), so
 * it is the transpose of the row-major direction matrix used here. AnatomicalOrientation is
 * descriptive and not used. A data file named outside the header's folder, a list or pattern of
 * files, missing bytes, other element types and non-finite values are InputErrors naming the file.
 */
export function readMetaImage(path: string, limits: ReadLimits = DEFAULT_READ_LIMITS): Volume {
  checkFileSize(statSync(path).size, limits, path);
  const bytes = readFileSync(path);
  const { fields, dataStart } = parseHeader(bytes, path);
  const get = (...keys: string[]): string | undefined => keys.map((k) => fields.get(k)).find((v) => v !== undefined);
  const fail = (rule: string, message: string): InputError => new InputError(`${path}: ${message}`, { file: path, rule });
  const numbers = (value: string | undefined, count: number, name: string): number[] => {
    const values = (value ?? '').trim().split(/\s+/).map(Number);
    if (values.length !== count || !values.every(Number.isFinite)) throw fail('metaimage-header', `${name} is "${value ?? ''}", ${count} numbers expected`);
    return values;
  };
  if (get('NDims') !== '3') throw fail('single-volume', `NDims is ${get('NDims') ?? 'missing'}; one 3-D volume is required`);
  if ((get('ElementNumberOfChannels') ?? '1') !== '1') throw fail('single-volume', 'more than one channel per voxel');
  const dims = numbers(get('DimSize'), 3, 'DimSize');
  const shape: Vec3 = [dims[0]!, dims[1]!, dims[2]!];
  checkShape(shape, limits, path);
  const spacing = numbers(get('ElementSpacing', 'ElementSize') ?? '1 1 1', 3, 'ElementSpacing');
  const origin = numbers(get('Offset', 'Position', 'Origin') ?? '0 0 0', 3, 'Offset');
  const t = numbers(get('TransformMatrix', 'Rotation', 'Orientation') ?? '1 0 0 0 1 0 0 0 1', 9, 'TransformMatrix');
  const typeName = get('ElementType') ?? '';
  const type = ELEMENT_TYPES[typeName];
  if (type === undefined) throw fail('metaimage-element-type', `ElementType "${typeName}" is not supported (${Object.keys(ELEMENT_TYPES).join(', ')})`);

  const dataFile = get('ElementDataFile');
  let source: Buffer;
  let sourceName = path;
  if (dataFile === undefined) throw fail('metaimage-header', 'ElementDataFile is missing');
  if (dataFile === 'LOCAL') source = bytes.subarray(dataStart);
  else {
    if (dataFile.startsWith('LIST') || /%|\s/.test(dataFile)) throw fail('metaimage-data-file', `ElementDataFile "${dataFile}": file lists and patterns are not supported`);
    const folder = dirname(resolve(path));
    sourceName = resolve(folder, dataFile);
    const rel = relative(folder, sourceName);
    if (rel.startsWith('..') || isAbsolute(rel) || rel === '') throw fail('metaimage-data-file', `ElementDataFile "${dataFile}" lies outside the header's folder`);
    try {
      checkFileSize(statSync(sourceName).size, limits, sourceName);
    } catch (err) {
      if (err instanceof InputError) throw err;
      throw fail('metaimage-data-file', `ElementDataFile "${dataFile}" cannot be read`);
    }
    source = readFileSync(sourceName);
  }
  const count = shape[0] * shape[1] * shape[2];
  const needed = count * type.bytes;
  if (/^true$/i.test(get('CompressedData') ?? 'False')) {
    try {
      source = inflateSync(source, { maxOutputLength: limits.maxFileBytes });
    } catch (err) {
      throw fail('metaimage-compressed', `compressed data is corrupt (${String(err)})`);
    }
  }
  const headerSize = Number(get('HeaderSize') ?? '0');
  const skip = headerSize === -1 ? source.length - needed : headerSize;
  if (!Number.isInteger(skip) || skip < 0 || skip + needed > source.length) {
    throw fail('truncated-voxel-data', `voxel data truncated: ${shape.join('x')} ${typeName} needs ${needed} bytes after ${Math.max(0, skip)}, ${sourceName} has ${source.length}`);
  }
  const raw = Buffer.from(source.subarray(skip, skip + needed));
  const msb = /^true$/i.test(get('ElementByteOrderMSB', 'BinaryDataByteOrderMSB') ?? 'False');
  if (msb === (endianness() === 'LE') && type.bytes > 1) {
    if (type.bytes === 2) raw.swap16();
    else if (type.bytes === 4) raw.swap32();
    else raw.swap64();
  }
  const values = type.view(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  const data = values instanceof Int16Array ? values : Float32Array.from(values);
  sanitizeHu(data, path);
  const affine = [0, 1, 2].flatMap((r) => [t[r]! * spacing[0]!, t[3 + r]! * spacing[1]!, t[6 + r]! * spacing[2]!, origin[r]!]).concat([0, 0, 0, 1]);
  return { data, shape, ...geometryFromAffine(affine, path) };
}

/** The files a MetaImage is made of: the header, and the data file when it is not LOCAL. */
export function metaImageFiles(path: string): string[] {
  const head = Buffer.alloc(MAX_HEADER_BYTES);
  const fd = openSync(path, 'r');
  let length: number;
  try {
    length = readSync(fd, head, 0, MAX_HEADER_BYTES, 0);
  } finally {
    closeSync(fd);
  }
  const dataFile = parseHeader(head.subarray(0, length), path).fields.get('ElementDataFile');
  return dataFile === undefined || dataFile === 'LOCAL' ? [path] : [path, resolve(dirname(resolve(path)), dataFile)];
}

/** Key = value lines up to and including ElementDataFile; dataStart is the byte after that line. */
function parseHeader(bytes: Buffer, path: string): { fields: Map<string, string>; dataStart: number } {
  const fields = new Map<string, string>();
  let pos = 0;
  while (pos < bytes.length && pos < MAX_HEADER_BYTES) {
    let end = bytes.indexOf(0x0a, pos);
    if (end < 0) end = bytes.length;
    const line = bytes.toString('latin1', pos, end).replace(/\r$/, '');
    pos = end + 1;
    const eq = line.indexOf('=');
    if (eq < 0) {
      if (line.trim() === '') continue;
      break;
    }
    const key = line.slice(0, eq).trim();
    fields.set(key, line.slice(eq + 1).trim());
    if (key === 'ElementDataFile') return { fields, dataStart: pos };
  }
  throw new InputError(`${path}: not a MetaImage header (no "ElementDataFile = ..." line)`, { file: path, rule: 'metaimage-header' });
}
