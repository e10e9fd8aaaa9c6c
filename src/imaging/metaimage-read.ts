import { readFileSync, statSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { InputError } from '../util/errors.js';
import { geometryFromAffine } from './affine.js';
import { sanitizeHu } from './hu.js';
import { readSamples, sampleBytes, toVolumeData, type SampleType } from './raw-samples.js';
import { checkFileSize, checkShape, DEFAULT_READ_LIMITS, type ReadLimits } from './read-limits.js';
import { readHead, readSidecar, sidecarPath } from './sidecar-file.js';
import type { Vec3, Volume } from './volume.js';

/** MetaIO element types this reader accepts. */
const ELEMENT_TYPES: Record<string, SampleType> = {
  MET_UCHAR: 'uint8',
  MET_CHAR: 'int8',
  MET_SHORT: 'int16',
  MET_USHORT: 'uint16',
  MET_INT: 'int32',
  MET_UINT: 'uint32',
  MET_FLOAT: 'float32',
  MET_DOUBLE: 'float64',
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
    ({ path: sourceName, bytes: source } = readSidecar(path, dataFile, 'metaimage-data-file', limits));
  }
  const count = shape[0] * shape[1] * shape[2];
  const needed = count * sampleBytes(type);
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
  const msb = /^true$/i.test(get('ElementByteOrderMSB', 'BinaryDataByteOrderMSB') ?? 'False');
  const data = toVolumeData(readSamples(source.subarray(skip, skip + needed), type, msb));
  sanitizeHu(data, path);
  const affine = [0, 1, 2].flatMap((r) => [t[r]! * spacing[0]!, t[3 + r]! * spacing[1]!, t[6 + r]! * spacing[2]!, origin[r]!]).concat([0, 0, 0, 1]);
  return { data, shape, ...geometryFromAffine(affine, path) };
}

/** The files a MetaImage is made of: the header, and the data file when it is not LOCAL. */
export function metaImageFiles(path: string): string[] {
  const dataFile = parseHeader(readHead(path, MAX_HEADER_BYTES), path).fields.get('ElementDataFile');
  return dataFile === undefined || dataFile === 'LOCAL' ? [path] : [path, sidecarPath(path, dataFile, 'metaimage-data-file')];
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
