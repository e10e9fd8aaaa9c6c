import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tensor } from '../tensor/index.js';
import { InputError } from '../util/errors.js';
import { readSafetensors, readSafetensorsFile, writeSafetensors, writeSafetensorsFile } from './safetensors.js';
import { sharedPath } from '../util/testing-paths.js';

const concat = (parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));

/** A file with a hand-written header, to break it on purpose. */
function handMade(header: object, data: Uint8Array, lengthOverride?: bigint): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const head = new Uint8Array(8);
  new DataView(head.buffer).setBigUint64(0, lengthOverride ?? BigInt(json.length), true);
  return concat([head, json, data]);
}

test('round trip keeps names, order, shapes, values, dtypes and metadata; 8-byte aligned header', () => {
  const tensors: Array<[string, Tensor]> = [
    ['b.weight', Tensor.from([1.5, -2, 3.25, 1e-30], [2, 2])],
    ['a.count', Tensor.int([7], [])],
    ['idx', Tensor.int([-1, 2, 3])],
  ];
  const bytes = concat(writeSafetensors(tensors, { note: 'x', config: '{"k":1}' }, new Set(['a.count'])));
  const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  assert.equal((8 + headerLen) % 8, 0);
  const r = readSafetensors(bytes);
  assert.deepEqual([...r.tensors.keys()], ['b.weight', 'a.count', 'idx']);
  assert.deepEqual(r.tensors.get('b.weight')?.toArray(), [1.5, -2, 3.25, Math.fround(1e-30)]);
  assert.deepEqual([...r.tensors.get('b.weight')!.shape], [2, 2]);
  assert.equal(r.dtypes.get('a.count'), 'I64');
  assert.equal(r.dtypes.get('idx'), 'I32');
  assert.deepEqual(r.tensors.get('idx')?.toArray(), [-1, 2, 3]);
  assert.deepEqual(r.metadata, { note: 'x', config: '{"k":1}' });
});

test('files are written atomically and read back', () => {
  const dir = mkdtempSync(join(tmpdir(), 'csfnet-st-'));
  const path = join(dir, 'm.safetensors');
  writeSafetensorsFile(path, [['w', Tensor.from([1, 2, 3])]]);
  assert.deepEqual(readSafetensorsFile(path).tensors.get('w')?.toArray(), [1, 2, 3]);
});

test('reads the PyTorch fixture, I64 buffers included', () => {
  const r = readSafetensorsFile(sharedPath('reference/fixtures/tiny/weights.safetensors'));
  assert.equal(r.dtypes.get('conv1.1.num_batches_tracked'), 'I64');
  assert.deepEqual(r.tensors.get('categories_offset')?.toArray(), [2, 9, 11, 13]);
  assert.deepEqual([...r.tensors.get('conv1.0.weight')!.shape], [4, 1, 3, 3, 3]);
  assert.equal(JSON.parse(r.metadata.categories ?? '[]').length, 4);
});

const rule = (fn: () => unknown, expected: string): void => {
  assert.throws(fn, (err: unknown) => err instanceof InputError && err.rule === expected && err.message.includes('bad.safetensors'), `expected rule ${expected}`);
};

test('broken files give errors naming the file and the rule', () => {
  const good = concat(writeSafetensors([['w', Tensor.from([1, 2, 3, 4])]]));
  rule(() => readSafetensors(good.subarray(0, 5), 'bad.safetensors'), 'truncated');
  rule(() => readSafetensors(good.subarray(0, 20), 'bad.safetensors'), 'truncated');
  rule(() => readSafetensors(good.subarray(0, good.length - 4), 'bad.safetensors'), 'offset-outside-file');
  rule(() => readSafetensors(handMade({ w: { dtype: 'BF16', shape: [1], data_offsets: [0, 2] } }, new Uint8Array(2)), 'bad.safetensors'), 'unknown-dtype');
  rule(() => readSafetensors(handMade({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, new Uint8Array(4)), 'bad.safetensors'), 'size-mismatch');
  rule(() => readSafetensors(handMade({}, new Uint8Array(0), 200n * 1024n * 1024n), 'bad.safetensors'), 'header-too-large');
  rule(() => readSafetensors(handMade({ w: { dtype: 'F32' } }, new Uint8Array(0)), 'bad.safetensors'), 'bad-header');
  const notJson = handMade({}, new Uint8Array(0));
  notJson[9] = 0x7b;
  notJson[8] = 0x5b;
  rule(() => readSafetensors(notJson, 'bad.safetensors'), 'bad-header');
  const dir = mkdtempSync(join(tmpdir(), 'csfnet-st-'));
  writeFileSync(join(dir, 'bad.safetensors'), good.subarray(0, 12));
  rule(() => readSafetensorsFile(join(dir, 'bad.safetensors')), 'truncated');
  assert.ok(readFileSync(join(dir, 'bad.safetensors')).length === 12);
});
