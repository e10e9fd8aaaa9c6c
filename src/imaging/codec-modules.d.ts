/**
 * Type declarations for the pixel codecs, which ship without them: the @cornerstonejs WASM decoders
 * (Emscripten module factories) and jpeg-lossless-decoder-js (its package names a .d.ts that is not
 * published). Only what src/imaging/dicom-codecs.ts uses is declared.
 */
interface EmscriptenOptions {
  print?: (text: string) => void;
  printErr?: (text: string) => void;
}

/** The decoder classes of the cornerstone codecs share one shape. */
interface WasmFrameDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned?: boolean };
  getDecodedBuffer(): Uint8Array;
  delete(): void;
}

declare module '@cornerstonejs/codec-charls/decodewasmjs' {
  const factory: (options?: EmscriptenOptions) => Promise<{ JpegLSDecoder: new () => WasmFrameDecoder }>;
  export default factory;
}

declare module '@cornerstonejs/codec-openjpeg/decodewasmjs' {
  const factory: (options?: EmscriptenOptions) => Promise<{ J2KDecoder: new () => WasmFrameDecoder }>;
  export default factory;
}

declare module '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs' {
  const factory: (options?: EmscriptenOptions) => Promise<{ JPEGDecoder: new () => WasmFrameDecoder }>;
  export default factory;
}

declare module 'jpeg-lossless-decoder-js' {
  export class Decoder {
    /** Decodes a JPEG lossless (process 14) stream; numBytes is the bytes per sample of the output. */
    decode(buffer: ArrayBuffer, offset: number, length: number, numBytes: number): Uint8Array | Uint16Array;
  }
}
