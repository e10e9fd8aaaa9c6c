import { readFileSync } from 'node:fs';
import { Tensor } from '../tensor/index.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { InputError } from '../util/errors.js';

/**
 * safetensors (Hugging Face's format, https://huggingface.co/docs/safetensors): an 8-byte
 * little-endian header length N, N bytes of JSON {name: {dtype, shape, data_offsets: [begin, end]},
 * "__metadata__": {string: string}}, then the raw little-endian tensor bytes, offsets relative to
 * the end of the header. Read here: F32, I32, I64 (I64 becomes int32 when every value fits).
 */
export type SafeDType = 'F32' | 'I32' | 'I64';

export interface SafetensorsFile {
  tensors: Map<string, Tensor>;
  /** The dtype each tensor had in the file. */
  dtypes: Map<string, SafeDType>;
  metadata: Record<string, string>;
}

export const MAX_HEADER_BYTES = 100 * 1024 * 1024;
const BYTES: Record<SafeDType, number> = { F32: 4, I32: 4, I64: 8 };
/** On little-endian hosts (every x86 and ARM Node build) 4-byte values are copied as they are. */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

function fail(source: string, rule: string, message: string): never {
  throw new InputError(`${source}: ${message}`, { file: source, rule });
}

function parseHeader(bytes: Uint8Array, source: string): { entries: Array<[string, HeaderEntry]>; metadata: Record<string, string>; dataStart: number } {
  if (bytes.length < 8) fail(source, 'truncated', `file of ${bytes.length} bytes is too short for a safetensors header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) fail(source, 'header-too-large', `header of ${n} bytes exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  const headerLen = Number(n);
  if (8 + headerLen > bytes.length) fail(source, 'truncated', `header of ${headerLen} bytes runs past the end of the ${bytes.length}-byte file`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen)));
  } catch (err) {
    fail(source, 'bad-header', `header is not valid UTF-8 JSON (${(err as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail(source, 'bad-header', 'header is not a JSON object');
  const metadata: Record<string, string> = {};
  const entries: Array<[string, HeaderEntry]> = [];
  for (const [name, value] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      for (const [k, v] of Object.entries((value ?? {}) as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(source, 'bad-header', `metadata ${k} is not a string`);
        metadata[k] = v;
      }
      continue;
    }
    const e = value as Partial<HeaderEntry> | null;
    const ok = e && typeof e.dtype === 'string' && Array.isArray(e.shape) && e.shape.every((d) => Number.isInteger(d) && d >= 0) && Array.isArray(e.data_offsets) && e.data_offsets.length === 2 && e.data_offsets.every((o) => Number.isInteger(o) && o >= 0);
    if (!ok) fail(source, 'bad-header', `entry ${name} lacks a dtype, shape or data_offsets`);
    entries.push([name, e as HeaderEntry]);
  }
  return { entries, metadata, dataStart: 8 + headerLen };
}

/** Parses safetensors bytes; `source` names the file in errors. */
export function readSafetensors(bytes: Uint8Array, source = 'safetensors'): SafetensorsFile {
  const { entries, metadata, dataStart } = parseHeader(bytes, source);
  const dataLen = bytes.length - dataStart;
  const tensors = new Map<string, Tensor>();
  const dtypes = new Map<string, SafeDType>();
  for (const [name, e] of entries) {
    if (!(e.dtype in BYTES)) fail(source, 'unknown-dtype', `tensor ${name} has dtype ${e.dtype}; supported: F32, I32, I64`);
    const dtype = e.dtype as SafeDType;
    const [begin, end] = e.data_offsets;
    const count = e.shape.reduce((a, b) => a * b, 1);
    if (end < begin || end > dataLen) fail(source, 'offset-outside-file', `tensor ${name} spans bytes [${begin}, ${end}) but the data section has ${dataLen}`);
    if (end - begin !== count * BYTES[dtype]) fail(source, 'size-mismatch', `tensor ${name} has ${end - begin} bytes, shape [${e.shape.join(', ')}] of ${dtype} needs ${count * BYTES[dtype]}`);
    // A copy with its own buffer (Buffer.slice would share the file buffer and its offset).
    const raw = new Uint8Array(bytes.subarray(dataStart + begin, dataStart + end));
    const view = new DataView(raw.buffer);
    let t: Tensor;
    if (dtype === 'F32' && LITTLE_ENDIAN) {
      t = new Tensor(new Float32Array(raw.buffer, 0, count), e.shape);
    } else if (dtype === 'F32') {
      const data = new Float32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getFloat32(i * 4, true);
      t = new Tensor(data, e.shape);
    } else if (dtype === 'I32') {
      const data = new Int32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getInt32(i * 4, true);
      t = new Tensor(data, e.shape);
    } else {
      const data = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const v = view.getBigInt64(i * 8, true);
        if (v > 2147483647n || v < -2147483648n) fail(source, 'int64-range', `tensor ${name} holds ${v}, outside the int32 range`);
        data[i] = Number(v);
      }
      t = new Tensor(data, e.shape);
    }
    tensors.set(name, t);
    dtypes.set(name, dtype);
  }
  return { tensors, dtypes, metadata };
}

export function readSafetensorsFile(path: string): SafetensorsFile {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new InputError(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { file: path, rule: 'unreadable', cause: err });
  }
  return readSafetensors(bytes, path);
}

/**
 * Serialises tensors (in the given order) and string metadata. Int32 tensors are written as I64
 * when listed in `asInt64` (PyTorch's dtype for num_batches_tracked and index tensors).
 */
export function writeSafetensors(tensors: Iterable<[string, Tensor]>, metadata: Record<string, string> = {}, asInt64: ReadonlySet<string> = new Set()): Uint8Array[] {
  const header: Record<string, unknown> = {};
  const blobs: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of tensors) {
    let blob: Uint8Array;
    let dtype: SafeDType;
    if (t.data instanceof Float32Array && LITTLE_ENDIAN) {
      dtype = 'F32';
      blob = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    } else if (t.data instanceof Float32Array) {
      dtype = 'F32';
      blob = new Uint8Array(t.size * 4);
      const view = new DataView(blob.buffer);
      t.data.forEach((v, i) => view.setFloat32(i * 4, v, true));
    } else if (asInt64.has(name)) {
      dtype = 'I64';
      blob = new Uint8Array(t.size * 8);
      const view = new DataView(blob.buffer);
      t.data.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
    } else {
      dtype = 'I32';
      blob = new Uint8Array(t.size * 4);
      const view = new DataView(blob.buffer);
      t.data.forEach((v, i) => view.setInt32(i * 4, v, true));
    }
    header[name] = { dtype, shape: [...t.shape], data_offsets: [offset, offset + blob.length] };
    offset += blob.length;
    blobs.push(blob);
  }
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const head = new Uint8Array(8 + Buffer.byteLength(json));
  new DataView(head.buffer).setBigUint64(0, BigInt(head.length - 8), true);
  head.set(new TextEncoder().encode(json), 8);
  return [head, ...blobs];
}

/** Writes a safetensors file atomically (temporary name, then rename). */
export function writeSafetensorsFile(path: string, tensors: Iterable<[string, Tensor]>, metadata: Record<string, string> = {}, asInt64: ReadonlySet<string> = new Set()): void {
  writeFileAtomic(path, writeSafetensors(tensors, metadata, asInt64));
}
