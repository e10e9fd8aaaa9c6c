import { InputError } from '../util/errors.js';
import { decodeRle } from './rle-decode.js';

/** How a transfer syntax stores pixels. */
export type PixelEncoding = 'native' | 'rle' | 'jpeg-ls' | 'jpeg-2000' | 'jpeg-lossless' | 'jpeg-baseline';

export interface TransferSyntax {
  readonly uid: string;
  readonly name: string;
  readonly encoding: PixelEncoding;
  readonly bigEndian: boolean;
  readonly deflated: boolean;
}

function syntax(uid: string, name: string, encoding: PixelEncoding, extra: Partial<TransferSyntax> = {}): [string, TransferSyntax] {
  return [uid, { uid, name, encoding, bigEndian: false, deflated: false, ...extra }];
}

/**
 * The transfer syntaxes csf-net reads (UIDs from DICOM PS3.6 Annex A) and the decoder of each:
 * CharLS for JPEG-LS, OpenJPEG for JPEG 2000, libjpeg-turbo for 8-bit baseline JPEG (the
 * @cornerstonejs WASM builds, bit-exact on CT per ct-input.md), jpeg-lossless-decoder-js for JPEG
 * lossless (process 14, the dcmcjpeg default), and the project's own RLE decoder (PS3.5 Annex G).
 */
export const TRANSFER_SYNTAXES: ReadonlyMap<string, TransferSyntax> = new Map([
  syntax('1.2.840.10008.1.2', 'Implicit VR Little Endian', 'native'),
  syntax('1.2.840.10008.1.2.1', 'Explicit VR Little Endian', 'native'),
  syntax('1.2.840.10008.1.2.1.99', 'Deflated Explicit VR Little Endian', 'native', { deflated: true }),
  syntax('1.2.840.10008.1.2.2', 'Explicit VR Big Endian', 'native', { bigEndian: true }),
  syntax('1.2.840.10008.1.2.5', 'RLE Lossless', 'rle'),
  syntax('1.2.840.10008.1.2.4.50', 'JPEG Baseline (8-bit)', 'jpeg-baseline'),
  syntax('1.2.840.10008.1.2.4.57', 'JPEG Lossless (process 14)', 'jpeg-lossless'),
  syntax('1.2.840.10008.1.2.4.70', 'JPEG Lossless (process 14, selection value 1)', 'jpeg-lossless'),
  syntax('1.2.840.10008.1.2.4.80', 'JPEG-LS Lossless', 'jpeg-ls'),
  syntax('1.2.840.10008.1.2.4.81', 'JPEG-LS Near-Lossless', 'jpeg-ls'),
  syntax('1.2.840.10008.1.2.4.90', 'JPEG 2000 Lossless', 'jpeg-2000'),
  syntax('1.2.840.10008.1.2.4.91', 'JPEG 2000', 'jpeg-2000'),
]);

/** Names of syntaxes that are refused, so the error can say what the file uses. */
const KNOWN_UNSUPPORTED: Record<string, string> = {
  '1.2.840.10008.1.2.4.51': 'JPEG Extended (12-bit)',
  '1.2.840.10008.1.2.4.201': 'HTJ2K Lossless',
  '1.2.840.10008.1.2.4.202': 'HTJ2K Lossless RPCL',
  '1.2.840.10008.1.2.4.203': 'HTJ2K',
  '1.2.840.10008.1.2.4.100': 'MPEG2',
  '1.2.840.10008.1.2.4.102': 'MPEG-4 AVC/H.264',
};

/** The supported transfer syntax of `uid`, or an InputError (rule "transfer-syntax") naming it. */
export function transferSyntaxOf(uid: string | undefined, file: string): TransferSyntax {
  const found = uid === undefined ? undefined : TRANSFER_SYNTAXES.get(uid);
  if (found !== undefined) return found;
  const name = uid === undefined ? 'none given' : `${uid}${KNOWN_UNSUPPORTED[uid] ? ` (${KNOWN_UNSUPPORTED[uid]})` : ''}`;
  const supported = [...TRANSFER_SYNTAXES.values()].map((t) => t.name).join(', ');
  throw new InputError(`${file}: transfer syntax ${name} is not supported; supported: ${supported}`, { file, rule: 'transfer-syntax' });
}

export interface FrameInfo {
  readonly rows: number;
  readonly columns: number;
  /** 8 or 16. */
  readonly bitsAllocated: number;
}

type WasmModules = {
  charls: { JpegLSDecoder: new () => WasmFrameDecoder };
  openjpeg: { J2KDecoder: new () => WasmFrameDecoder };
  libjpeg: { JPEGDecoder: new () => WasmFrameDecoder };
};

let wasm: Promise<WasmModules> | undefined;

/**
 * Loads and instantiates the WASM decoders once per process, on first use (so reading an
 * uncompressed series, or starting the CLI, never pays for them), silencing their console output.
 */
function wasmModules(): Promise<WasmModules> {
  const quiet = { print: () => undefined, printErr: () => undefined };
  wasm ??= Promise.all([
    import('@cornerstonejs/codec-charls/decodewasmjs').then((m) => m.default(quiet)),
    import('@cornerstonejs/codec-openjpeg/decodewasmjs').then((m) => m.default(quiet)),
    import('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs').then((m) => m.default(quiet)),
  ]).then(([charls, openjpeg, libjpeg]) => ({ charls, openjpeg, libjpeg }));
  return wasm;
}

/**
 * Decodes one compressed frame into little-endian pixel bytes (rows x columns x bitsAllocated/8).
 * A decoder failure, a frame of another size or bit depth than the header says is an InputError
 * (rule "pixel-decode") naming the file.
 */
export async function decodeFrame(ts: TransferSyntax, frame: Uint8Array, info: FrameInfo, file: string): Promise<Uint8Array> {
  const bytes = info.bitsAllocated / 8;
  const pixels = info.rows * info.columns;
  const fail = (why: string, cause?: unknown): InputError =>
    new InputError(`${file}: ${ts.name} pixel data could not be decoded (${why})`, { file, rule: 'pixel-decode', cause });
  let out: Uint8Array;
  try {
    if (ts.encoding === 'rle') return decodeRle(frame, pixels, bytes, file);
    if (ts.encoding === 'jpeg-lossless') {
      const { Decoder } = await import('jpeg-lossless-decoder-js');
      const copy = new Uint8Array(frame); // a copy with its own buffer (Buffer.slice would be a view)
      const d = new Decoder().decode(copy.buffer, 0, copy.length, bytes);
      out = new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
    } else {
      const m = await wasmModules();
      const decoder =
        ts.encoding === 'jpeg-ls' ? new m.charls.JpegLSDecoder() : ts.encoding === 'jpeg-2000' ? new m.openjpeg.J2KDecoder() : new m.libjpeg.JPEGDecoder();
      try {
        decoder.getEncodedBuffer(frame.length).set(frame);
        decoder.decode();
        const fi = decoder.getFrameInfo();
        if (fi.width !== info.columns || fi.height !== info.rows || fi.componentCount !== 1) {
          throw fail(`decoded ${fi.width}x${fi.height}x${fi.componentCount}, header says ${info.columns}x${info.rows}x1`);
        }
        out = decoder.getDecodedBuffer().slice();
      } finally {
        decoder.delete();
      }
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw fail(err instanceof Error ? err.message : String(err), err);
  }
  if (out.length !== pixels * bytes) throw fail(`decoded ${out.length} bytes, ${pixels * bytes} expected`);
  return out;
}
