import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../util/errors.js';
import { safeUnzip, unsafeEntryName, UploadTooLargeError } from './safe-unzip.js';
import { writeZip, type ZipEntrySpec } from './testing/write-zip.js';

const LIMITS = { maxEntries: 100, maxBytes: 1 << 20 };

const root = mkdtempSync(join(tmpdir(), 'csfnet-unzip-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));

function scratch(): string {
  return mkdtempSync(join(root, 'case-'));
}

async function unzip(entries: ZipEntrySpec[], limits = LIMITS): Promise<{ dir: string; files: Awaited<ReturnType<typeof safeUnzip>> }> {
  const dir = scratch();
  const zip = join(dir, 'upload.zip');
  writeFileSync(zip, writeZip(entries));
  const files = await safeUnzip(zip, join(dir, 'out', 'inner'), limits, 't0');
  return { dir, files };
}

async function refused(entries: ZipEntrySpec[], rule: string, limits = LIMITS): Promise<string> {
  const dir = scratch();
  const zip = join(dir, 'upload.zip');
  writeFileSync(zip, writeZip(entries));
  const out = join(dir, 'out', 'inner');
  await assert.rejects(safeUnzip(zip, out, limits, 't0'), (err: unknown) => {
    assert.ok(err instanceof InputError || err instanceof UploadTooLargeError, String(err));
    assert.equal(err.rule, rule, err.message);
    return true;
  });
  return dir;
}

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

test('stored and deflated entries are unpacked flat, under numbered names, in archive order', async () => {
  const big = new Uint8Array(5000).map((_, i) => (i * 7) % 251);
  const { files } = await unzip([
    { name: 'series/', data: new Uint8Array(0) },
    { name: 'series/IM0001', data: bytes('first') },
    { name: 'series/sub/IM0002.dcm', data: big, deflate: true },
    { name: '__MACOSX/series/._IM0001', data: bytes('fork') },
    { name: 'DICOMDIR', data: bytes('index') },
    { name: 'series/.hidden', data: bytes('dot') },
  ]);
  assert.deepEqual(
    files.map((f) => f.entry),
    ['series/IM0001', 'series/sub/IM0002.dcm'],
  );
  assert.deepEqual(files.map((f) => f.path.split('/').pop()), ['000001', '000002']);
  assert.equal(readFileSync(files[0]!.path, 'utf8'), 'first');
  assert.deepEqual(new Uint8Array(readFileSync(files[1]!.path)), big);
});

test('entry names that climb out or are absolute are refused and nothing lands outside the folder', async () => {
  for (const name of ['../evil.txt', 'series/../../evil.txt', '/tmp/evil.txt', 'C:/evil.txt', '..\\evil.txt', 'a\\..\\..\\evil.txt']) {
    const dir = await refused([{ name: 'ok.dcm', data: bytes('ok') }, { name, data: bytes('pwned') }], 'zip-path-traversal');
    const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [e.name]));
    assert.ok(!walk(dir).includes('evil.txt'), `${name}: a file was written`);
  }
  assert.equal(unsafeEntryName('series/IM1.dcm'), null);
  assert.equal(unsafeEntryName('series/..IM1.dcm'), null, 'dots inside a name are not a traversal');
});

test('symbolic links and damaged archives are refused with their rule', async () => {
  await refused([{ name: 'link', data: bytes('/etc/passwd'), symlink: true }], 'zip-symlink');
  const dir = scratch();
  writeFileSync(join(dir, 'junk.zip'), Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 7)]));
  await assert.rejects(safeUnzip(join(dir, 'junk.zip'), join(dir, 'o'), LIMITS, 't1'), (err: unknown) => err instanceof InputError && err.rule === 'zip-malformed' && err.message.startsWith('t1:'));
  const good = writeZip([{ name: 'a', data: new Uint8Array(4000).fill(1), deflate: true }]);
  writeFileSync(join(dir, 'cut.zip'), good.subarray(0, good.length - 30));
  await assert.rejects(safeUnzip(join(dir, 'cut.zip'), join(dir, 'o2'), LIMITS, 't0'), (err: unknown) => err instanceof InputError && err.rule === 'zip-malformed');
  mkdirSync(join(dir, 'empty'));
  writeFileSync(join(dir, 'empty.zip'), writeZip([]));
  await assert.rejects(safeUnzip(join(dir, 'empty.zip'), join(dir, 'o3'), LIMITS, 't0'), (err: unknown) => err instanceof InputError && err.rule === 'zip-empty');
});

test('more entries or more unpacked bytes than the limits is an upload too large', async () => {
  const many = Array.from({ length: 6 }, (_, i) => ({ name: `f${i}`, data: bytes('x') }));
  await refused(many, 'zip-too-many-entries', { maxEntries: 5, maxBytes: 1000 });
  await refused([{ name: 'a', data: new Uint8Array(600) }, { name: 'b', data: new Uint8Array(600), deflate: true }], 'zip-too-large', { maxEntries: 5, maxBytes: 1000 });
});

test('an entry that inflates to more than it declares is refused (a zip bomb cannot lie about its size)', async () => {
  const dir = scratch();
  const zip = writeZip([{ name: 'bomb', data: new Uint8Array(200_000), deflate: true }]);
  // Patch the declared uncompressed size (local header offset 22, central directory offset 24) to 100 bytes.
  zip.writeUInt32LE(100, 22);
  const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  zip.writeUInt32LE(100, central + 24);
  writeFileSync(join(dir, 'bomb.zip'), zip);
  await assert.rejects(safeUnzip(join(dir, 'bomb.zip'), join(dir, 'o'), LIMITS, 't0'), (err: unknown) => err instanceof InputError && err.rule === 'zip-malformed');
});
