import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readNifti } from '../imaging/nifti-read.js';
import { writeNifti } from '../imaging/nifti-write.js';
import { DEFAULT_READ_LIMITS } from '../imaging/read-limits.js';
import type { Vec3 } from '../imaging/volume.js';
import { InputError } from '../util/errors.js';
import { intakeScans, type ScanSource } from './intake-scans.js';
import { dicomZip, NODULE_CENTRE, phantomScan, SECRET_PATIENT } from './testing/study-fixtures.js';
import { writeZip } from './testing/write-zip.js';

const root = mkdtempSync(join(tmpdir(), 'csfnet-intake-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
const t0 = phantomScan(8);
const t1 = phantomScan(10);

function setup(files: { t0: Buffer; t1: Buffer }, centres: { t0: Vec3; t1: Vec3 } = { t0: NODULE_CENTRE, t1: NODULE_CENTRE }) {
  const workDir = mkdtempSync(join(root, 'work-'));
  const outDir = join(workDir, 'study');
  mkdirSync(outDir);
  const sources: Record<'t0' | 't1', ScanSource> = { t0: { kind: 'upload', file: join(workDir, 't0.upload') }, t1: { kind: 'upload', file: join(workDir, 't1.upload') } };
  writeFileSync(join(workDir, 't0.upload'), files.t0);
  writeFileSync(join(workDir, 't1.upload'), files.t1);
  return { kind: 'intake' as const, workDir, outDir, sources, centres, unzip: { maxEntries: 100, maxBytes: 1 << 26 }, read: DEFAULT_READ_LIMITS };
}

function niftiBytes(diameter: number, gz: boolean): Buffer {
  const path = join(mkdtempSync(join(root, 'nii-')), gz ? 'x.nii.gz' : 'x.nii');
  writeNifti(path, phantomScan(diameter));
  return readFileSync(path);
}

test('a DICOM zip with identifiers and a .nii.gz are read and stored as de-identified NIfTI with the same voxels and geometry', async () => {
  const task = setup({ t0: dicomZip(t0), t1: niftiBytes(10, true) });
  const info = await intakeScans(task);
  assert.equal(info.t0.reader, 'dicom-series');
  assert.equal(info.t1.reader, 'nifti');
  assert.deepEqual(readdirSync(task.outDir).sort(), ['t0.nii', 't1.nii']);
  for (const [tp, original] of [['t0', t0], ['t1', t1]] as const) {
    const stored = readNifti(join(task.outDir, `${tp}.nii`));
    assert.deepEqual([...stored.shape], [...original.shape]);
    assert.deepEqual(Array.from(stored.data), Array.from(original.data), `${tp}: voxels`);
    for (let a = 0; a < 3; a++) {
      assert.ok(Math.abs(stored.origin[a]! - original.origin[a]!) < 1e-3, `${tp}: origin ${stored.origin} vs ${original.origin}`);
      assert.ok(Math.abs(stored.spacing[a]! - original.spacing[a]!) < 1e-5);
    }
    assert.deepEqual(info[tp].shape, [...original.shape]);
    const bytes = readFileSync(join(task.outDir, `${tp}.nii`)).toString('latin1');
    for (const secret of Object.values(SECRET_PATIENT)) assert.ok(!bytes.includes(secret), `${tp}.nii holds ${secret}`);
  }
});

test('a coordinate outside the scan is refused naming the time point, the coordinate and the bounds', async () => {
  const task = setup({ t0: niftiBytes(8, false), t1: niftiBytes(10, false) }, { t0: NODULE_CENTRE, t1: [NODULE_CENTRE[0], NODULE_CENTRE[1], NODULE_CENTRE[2] + 80] });
  await assert.rejects(intakeScans(task), (err: unknown) => {
    assert.ok(err instanceof InputError);
    assert.equal(err.rule, 'centre-outside-volume');
    assert.equal(err.file, 't1');
    assert.match(err.message, /^T1: nodule centre \(-20\.5, 35\.3, -30\.0\) lies outside the volume \(x /);
    return true;
  });
});

test('unreadable uploads are refused with the rule and the archive entry, never the scratch path', async () => {
  const junkZip = writeZip([{ name: 'scans/notes.txt', data: Buffer.from('not a scan') }]);
  await assert.rejects(intakeScans(setup({ t0: junkZip, t1: niftiBytes(10, false) })), (err: unknown) => {
    assert.ok(err instanceof InputError);
    assert.equal(err.rule, 'no-dicom');
    assert.match(err.message, /^t0: no DICOM files/);
    assert.ok(!err.message.includes(root), err.message);
    return true;
  });
  const badSlice = writeZip([{ name: 'scans/IM1.dcm', data: Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), Buffer.alloc(10, 0xff)]) }, { name: 'scans/IM2.dcm', data: Buffer.alloc(10) }]);
  await assert.rejects(intakeScans(setup({ t0: niftiBytes(8, false), t1: badSlice })), (err: unknown) => {
    assert.ok(err instanceof InputError, String(err));
    assert.match(err.message, /^t1 entry "scans\/IM1\.dcm"/);
    assert.equal(err.file, 't1 entry "scans/IM1.dcm"');
    return true;
  });
  await assert.rejects(intakeScans(setup({ t0: Buffer.from('hello, I am a text file'), t1: niftiBytes(10, false) })), (err: unknown) => err instanceof InputError && err.rule === 'unsupported-upload' && err.file === 't0');
  const truncated = niftiBytes(10, false).subarray(0, 5000);
  await assert.rejects(intakeScans(setup({ t0: niftiBytes(8, false), t1: truncated })), (err: unknown) => err instanceof InputError && err.file === 't1' && err.message.startsWith('t1'));
  const corruptGz = gzipSync(Buffer.from('not a nifti header at all')).subarray(0, 20);
  await assert.rejects(intakeScans(setup({ t0: corruptGz, t1: niftiBytes(10, false) })), (err: unknown) => err instanceof InputError && err.file === 't0');
});
