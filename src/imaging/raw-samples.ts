import { endianness } from 'node:os';

/** Scalar sample types the volume readers accept. */
export type SampleType = 'uint8' | 'int8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64';

type Samples = Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

const TYPES: Record<SampleType, { bytes: number; view: (b: ArrayBuffer) => Samples }> = {
  uint8: { bytes: 1, view: (b) => new Uint8Array(b) },
  int8: { bytes: 1, view: (b) => new Int8Array(b) },
  int16: { bytes: 2, view: (b) => new Int16Array(b) },
  uint16: { bytes: 2, view: (b) => new Uint16Array(b) },
  int32: { bytes: 4, view: (b) => new Int32Array(b) },
  uint32: { bytes: 4, view: (b) => new Uint32Array(b) },
  float32: { bytes: 4, view: (b) => new Float32Array(b) },
  float64: { bytes: 8, view: (b) => new Float64Array(b) },
};

/** Bytes per sample of a type. */
export function sampleBytes(type: SampleType): number {
  return TYPES[type].bytes;
}

/**
 * The samples stored in `bytes` (exactly count x bytes per sample) as a typed array of their type,
 * in host byte order: the bytes are copied into an aligned buffer and swapped when the file's
 * order differs from the host's.
 */
export function readSamples(bytes: Uint8Array, type: SampleType, bigEndian: boolean): Samples {
  const { bytes: size, view } = TYPES[type];
  const copy = Buffer.alloc(bytes.length);
  copy.set(bytes);
  if (size > 1 && bigEndian === (endianness() === 'LE')) {
    if (size === 2) copy.swap16();
    else if (size === 4) copy.swap32();
    else copy.swap64();
  }
  // A large Buffer.alloc owns its whole ArrayBuffer; a small one may sit in a shared pool, so copy.
  const owned = copy.byteOffset === 0 && copy.buffer.byteLength === copy.byteLength;
  return view(owned ? copy.buffer : copy.buffer.slice(copy.byteOffset, copy.byteOffset + copy.byteLength));
}

/** HU data of a volume: int16 samples stay Int16Array (no copy), other types become Float32Array. */
export function toVolumeData(samples: Samples): Int16Array | Float32Array {
  return samples instanceof Int16Array ? samples : Float32Array.from(samples);
}
