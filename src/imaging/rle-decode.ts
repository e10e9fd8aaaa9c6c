import { InputError } from '../util/errors.js';

/**
 * Decodes one DICOM RLE Lossless frame (transfer syntax 1.2.840.10008.1.2.5; PS3.5 Annex G) of a
 * single-sample image into little-endian pixel bytes.
 *
 * The frame starts with a 64-byte header: a uint32 segment count (at most 15), then 15 uint32
 * offsets of the segments from the frame start. Each segment holds one byte plane, most significant
 * first (a 16-bit image has 2 segments: high bytes, then low bytes), compressed with the PackBits
 * scheme of Annex G.3.1: a control byte n in 0..127 copies the next n+1 bytes, -127..-1 repeats the
 * next byte 1-n times, -128 is a no-op.
 */
export function decodeRle(frame: Uint8Array, pixels: number, bytesPerSample: number, file: string): Uint8Array {
  const fail = (why: string): InputError => new InputError(`${file}: RLE pixel data is corrupt (${why})`, { file, rule: 'pixel-decode' });
  if (frame.length < 64) throw fail('frame shorter than the 64-byte RLE header');
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const segments = view.getUint32(0, true);
  if (segments !== bytesPerSample) throw fail(`${segments} segments, ${bytesPerSample} expected for one sample of ${8 * bytesPerSample} bits`);
  const out = new Uint8Array(pixels * bytesPerSample);
  for (let s = 0; s < segments; s++) {
    const start = view.getUint32(4 + 4 * s, true);
    const end = s + 1 < segments ? view.getUint32(8 + 4 * s, true) : frame.length;
    if (start < 64 || end > frame.length || end < start) throw fail(`segment ${s} spans bytes ${start}..${end} of ${frame.length}`);
    // Segment s holds byte plane s counted from the most significant; little endian puts it last.
    const plane = bytesPerSample - 1 - s;
    let pos = start;
    let pixel = 0;
    while (pixel < pixels && pos < end) {
      const n = (frame[pos++]! << 24) >> 24;
      if (n >= 0) {
        if (pos + n + 1 > end) throw fail(`literal run past the end of segment ${s}`);
        for (let k = 0; k <= n && pixel < pixels; k++) out[(pixel++) * bytesPerSample + plane] = frame[pos++]!;
      } else if (n !== -128) {
        if (pos >= end) throw fail(`replicate run past the end of segment ${s}`);
        const value = frame[pos++]!;
        for (let k = 0; k < 1 - n && pixel < pixels; k++) out[(pixel++) * bytesPerSample + plane] = value;
      }
    }
    if (pixel < pixels) throw fail(`segment ${s} decodes to ${pixel} of ${pixels} pixels`);
  }
  return out;
}
