import { readFileSync, statSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import dicomParser from 'dicom-parser';
import type { DataSet, Element } from 'dicom-parser';
import { InputError } from '../util/errors.js';
import { decodeFrame, transferSyntaxOf, type TransferSyntax } from './dicom-codecs.js';
import { checkFileSize, DEFAULT_READ_LIMITS, type ReadLimits } from './read-limits.js';
import type { SlicePlacement } from './series-geometry.js';

/**
 * One CT image of a series: its placement (file, rows, columns, PixelSpacing, ImagePositionPatient,
 * ImageOrientationPatient, as series-geometry takes them), the tags HU need, and its stored values.
 */
export interface DicomSlice extends SlicePlacement {
  readonly seriesUid: string;
  /** SOPInstanceUID (0008,0018), when present: annotations refer to slices by it. */
  readonly sopInstanceUid: string | undefined;
  readonly instanceNumber: number | undefined;
  readonly transferSyntax: string;
  readonly rescaleSlope: number;
  readonly rescaleIntercept: number;
  /** PixelPaddingValue (0028,0120) as a stored value, when present. */
  readonly paddingValue: number | undefined;
  /** Stored values, row by row (rows x columns), before the rescale to HU. */
  readonly stored: Int16Array | Uint16Array | Int8Array | Uint8Array;
}

/** Thrown for a file without "DICM" at byte 128: the series reader skips such files and lists them. */
export class NotDicomError extends InputError {}

/**
 * Reads one DICOM file (PS3.10 format) into a DicomSlice, checking the ct-input.md checklist items
 * that concern one file: the "DICM" marker at byte 128, a supported transfer syntax, one frame of
 * one sample of 8 or 16 bits, the tags that geometry needs, and pixel data whose length equals
 * rows x columns x bytes (dicom-parser does not notice a file cut short inside the pixel data, so
 * the element's end is compared with the file's). Compressed frames are decoded (dicom-codecs).
 */
export async function readDicomSlice(file: string, limits: ReadLimits = DEFAULT_READ_LIMITS): Promise<DicomSlice> {
  checkFileSize(statSync(file).size, limits, file);
  const bytes = readFileSync(file);
  if (bytes.length < 132 || bytes.toString('latin1', 128, 132) !== 'DICM') {
    throw new NotDicomError(`${file}: not a DICOM file (no "DICM" marker at byte 128)`, { file, rule: 'dicom-preamble' });
  }
  let ds: DataSet;
  try {
    ds = dicomParser.parseDicom(bytes, { inflater: (arr: Uint8Array, position: number) => inflated(arr, position, limits) });
  } catch (err) {
    // dicom-parser throws strings or plain objects {exception, dataSet}, not Errors.
    const why = typeof err === 'object' && err !== null && 'exception' in err ? String(err.exception) : String(err);
    const truncated = /overrun|past end|end of buffer/i.test(why);
    throw new InputError(`${file}: ${truncated ? 'file is truncated' : 'unreadable DICOM'} (${why})`, {
      file,
      rule: truncated ? 'truncated-file' : 'dicom-parse',
    });
  }
  const ts = transferSyntaxOf(ds.string('x00020010'), file);
  const rows = requiredInt(ds, 'x00280010', 'Rows', file);
  const columns = requiredInt(ds, 'x00280011', 'Columns', file);
  const bitsAllocated = requiredInt(ds, 'x00280100', 'BitsAllocated', file);
  const signed = (ds.uint16('x00280103') ?? 0) === 1;
  const samples = ds.uint16('x00280002') ?? 1;
  const frames = Number.parseInt(ds.string('x00280008') ?? '1', 10);
  const photometric = ds.string('x00280004') ?? 'MONOCHROME2';
  if (samples !== 1 || !photometric.startsWith('MONOCHROME')) {
    throw new InputError(`${file}: ${photometric} with ${samples} samples per pixel is not a grayscale CT image`, { file, rule: 'photometric' });
  }
  if (frames !== 1) {
    throw new InputError(`${file}: ${frames} frames in one file (enhanced multi-frame CT) is not supported; export one slice per file`, {
      file,
      rule: 'multi-frame',
    });
  }
  if (bitsAllocated !== 8 && bitsAllocated !== 16) {
    throw new InputError(`${file}: BitsAllocated ${bitsAllocated} is not supported (8 or 16)`, { file, rule: 'bits-allocated' });
  }
  const pixelBytes = await pixelData(ds, ts, { rows, columns, bitsAllocated }, file);
  const padding = ds.elements.x00280120 === undefined ? undefined : ds.uint16('x00280120');
  return {
    file,
    seriesUid: requiredString(ds, 'x0020000e', 'SeriesInstanceUID', file),
    sopInstanceUid: ds.string('x00080018'),
    instanceNumber: optionalNumber(ds, 'x00200013'),
    transferSyntax: ts.uid,
    rows,
    columns,
    pixelSpacing: requiredNumbers(ds, 'x00280030', 'PixelSpacing', 2, file) as [number, number],
    position: requiredNumbers(ds, 'x00200032', 'ImagePositionPatient', 3, file) as [number, number, number],
    orientation: requiredNumbers(ds, 'x00200037', 'ImageOrientationPatient', 6, file),
    rescaleSlope: optionalNumber(ds, 'x00281053') ?? 1,
    rescaleIntercept: optionalNumber(ds, 'x00281052') ?? 0,
    paddingValue: padding === undefined ? undefined : signed && bitsAllocated === 16 ? (padding << 16) >> 16 : padding,
    stored: typedPixels(pixelBytes, bitsAllocated, signed),
  };
}

function inflated(arr: Uint8Array, position: number, limits: ReadLimits): Uint8Array {
  const body = inflateRawSync(arr.subarray(position), { maxOutputLength: limits.maxFileBytes });
  const out = new Uint8Array(position + body.length);
  out.set(arr.subarray(0, position));
  out.set(body, position);
  return out;
}

/** Little-endian pixel bytes of the single frame, decoded when the syntax compresses them. */
async function pixelData(ds: DataSet, ts: TransferSyntax, info: { rows: number; columns: number; bitsAllocated: number }, file: string): Promise<Uint8Array> {
  const el: Element | undefined = ds.elements.x7fe00010;
  if (el === undefined) throw new InputError(`${file}: no PixelData (7FE0,0010)`, { file, rule: 'missing-tag' });
  const expected = info.rows * info.columns * (info.bitsAllocated / 8);
  if (ts.encoding === 'native') {
    const end = el.dataOffset + el.length;
    if (el.length < expected || end > ds.byteArray.length) {
      const present = Math.min(el.length, ds.byteArray.length - el.dataOffset);
      throw new InputError(`${file}: pixel data truncated: ${present} bytes, ${info.rows}x${info.columns}x${info.bitsAllocated / 8} = ${expected} expected`, {
        file,
        rule: 'truncated-pixel-data',
      });
    }
    // A view on the file's bytes (this function owns them); swapped in place for big endian.
    const raw = ds.byteArray.subarray(el.dataOffset, el.dataOffset + expected);
    if (ts.bigEndian && info.bitsAllocated === 16) Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).swap16();
    return raw;
  }
  const fragments = el.fragments ?? [];
  if (!el.encapsulatedPixelData || fragments.length === 0) {
    throw new InputError(`${file}: ${ts.name} requires encapsulated pixel data fragments`, { file, rule: 'pixel-decode' });
  }
  for (const f of fragments) {
    if (el.dataOffset + f.offset + f.length > ds.byteArray.length) {
      throw new InputError(`${file}: compressed pixel data truncated inside a fragment`, { file, rule: 'truncated-pixel-data' });
    }
  }
  const frame = dicomParser.readEncapsulatedPixelDataFromFragments(ds, el, 0, fragments.length);
  return decodeFrame(ts, frame, info, file);
}

/** Typed samples over the pixel bytes: a view when they are 2-byte aligned, else an aligned copy. */
function typedPixels(bytes: Uint8Array, bitsAllocated: number, signed: boolean): Int16Array | Uint16Array | Int8Array | Uint8Array {
  const aligned = bytes.byteOffset % 2 === 0 ? bytes : new Uint8Array(bytes);
  const { buffer, byteOffset, byteLength } = aligned;
  if (bitsAllocated === 8) return signed ? new Int8Array(buffer, byteOffset, byteLength) : new Uint8Array(buffer, byteOffset, byteLength);
  return signed ? new Int16Array(buffer, byteOffset, byteLength / 2) : new Uint16Array(buffer, byteOffset, byteLength / 2);
}

function requiredString(ds: DataSet, tag: string, name: string, file: string): string {
  const v = ds.string(tag);
  if (v === undefined || v === '') throw missing(name, tag, file);
  return v;
}

function requiredInt(ds: DataSet, tag: string, name: string, file: string): number {
  const v = ds.uint16(tag);
  if (v === undefined || v <= 0) throw missing(name, tag, file);
  return v;
}

function optionalNumber(ds: DataSet, tag: string): number | undefined {
  const s = ds.string(tag);
  const v = s === undefined || s.trim() === '' ? NaN : Number(s);
  return Number.isFinite(v) ? v : undefined;
}

/** A multi-valued decimal string (DS) tag with exactly `count` finite values. */
function requiredNumbers(ds: DataSet, tag: string, name: string, count: number, file: string): number[] {
  const text = ds.string(tag);
  if (text === undefined) throw missing(name, tag, file);
  const values = text.split('\\').map((s) => Number(s.trim()));
  if (values.length !== count || !values.every(Number.isFinite)) {
    throw new InputError(`${file}: ${name} (${tag.slice(1, 5)},${tag.slice(5)}) is "${text}", ${count} numbers expected`, { file, rule: 'bad-tag' });
  }
  return values;
}

function missing(name: string, tag: string, file: string): InputError {
  return new InputError(`${file}: required tag ${name} (${tag.slice(1, 5).toUpperCase()},${tag.slice(5).toUpperCase()}) is missing`, {
    file,
    rule: 'missing-tag',
  });
}
