import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRle } from './rle-decode.js';
import { InputError } from '../util/errors.js';

/** An RLE frame (PS3.5 Annex G) with the given PackBits segments. */
function frame(segments: number[][]): Uint8Array {
  const header = new Uint8Array(64);
  const view = new DataView(header.buffer);
  view.setUint32(0, segments.length, true);
  let offset = 64;
  segments.forEach((s, n) => {
    view.setUint32(4 + 4 * n, offset, true);
    offset += s.length;
  });
  return Uint8Array.from([...header, ...segments.flat()]);
}

test('decodeRle expands literal and replicate runs, skips -128, and puts the high byte plane last (little endian)', () => {
  // 6 pixels of 16 bits: high bytes [1, 1, 1, 2, 3, 0xff], low bytes [0x10, 0x20, 0x30, 0x40, 0x40, 0x40]
  const high = [0xfe, 1, 0x80, 2, 2, 3, 0xff]; // replicate 3 x 1, no-op, literal [2, 3, 0xff]
  const low = [2, 0x10, 0x20, 0x30, 0xfe, 0x40]; // literal 3, replicate 3 x 0x40
  const out = decodeRle(frame([high, low]), 6, 2, 'x.dcm');
  const values = Array.from(new Uint16Array(out.buffer));
  assert.deepEqual(values, [0x0110, 0x0120, 0x0130, 0x0240, 0x0340, 0xff40]);
});

test('decodeRle refuses short segments, wrong segment counts and runs past the end', () => {
  const isDecodeError = (e: unknown): boolean => e instanceof InputError && e.rule === 'pixel-decode' && e.file === 'x.dcm';
  assert.throws(() => decodeRle(frame([[0xfe, 1]]), 6, 1, 'x.dcm'), isDecodeError); // 3 of 6 pixels
  assert.throws(() => decodeRle(frame([[0xfb, 1]]), 6, 2, 'x.dcm'), isDecodeError); // 1 segment for 16 bits
  assert.throws(() => decodeRle(frame([[5, 1, 2]]), 6, 1, 'x.dcm'), isDecodeError); // literal past the end
  assert.throws(() => decodeRle(new Uint8Array(10), 6, 1, 'x.dcm'), isDecodeError);
});
