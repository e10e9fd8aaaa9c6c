/**
 * The same CT through four formats: a NIfTI made from the real DICOM slices by pydicom + nibabel
 * (RAS, rows stored bottom-up as dcm2niix does), and MetaImage and NRRD files written here by hand,
 * must give the same HU at the same world coordinates as the DICOM series they came from.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync, gzipSync } from 'node:zlib';
import { readDicomSeries } from '../src/imaging/dicom-series.js';
import { readVolume } from '../src/imaging/read-volume.js';
import { readMetaImage } from '../src/imaging/metaimage-read.js';
import { copyInto, tciaData, tempDir } from '../src/imaging/testing/fixtures.js';
import { runPython } from '../src/imaging/testing/python.js';
import { voxelToWorld, worldToVoxel, type Volume } from '../src/imaging/volume.js';
import { InputError } from '../src/util/errors.js';

const work = tempDir('ingest-formats');
const dicomDir = join(work, 'dicom');
copyInto(dicomDir, ['1-18.dcm', '1-19.dcm', '1-20.dcm', '1-21.dcm', '1-22.dcm', '1-23.dcm'].map((n) => tciaData('A0001', 'series-2', n)));
const dicom = (await readDicomSeries(dicomDir)).volume;

/** Every 7th voxel of `a`: its world position must hold the same value in `b`, at an integer index. */
function sameWorld(a: Volume, b: Volume, label: string): void {
  let checked = 0;
  for (let p = 0; p < a.data.length; p += 7) {
    const i = p % a.shape[0];
    const j = Math.floor(p / a.shape[0]) % a.shape[1];
    const k = Math.floor(p / (a.shape[0] * a.shape[1]));
    const q = worldToVoxel(b, voxelToWorld(a, [i, j, k]));
    const r = q.map(Math.round);
    q.forEach((x, n) => assert.ok(Math.abs(x - r[n]!) < 1e-3, `${label}: voxel ${i},${j},${k} lands at ${q} in the other volume`));
    assert.equal(b.data[r[0]! + b.shape[0] * (r[1]! + b.shape[1] * r[2]!)], a.data[p], `${label}: value at ${i},${j},${k}`);
    checked++;
  }
  assert.ok(checked > 100000);
}

test('a NIfTI converted from the DICOM by pydicom + nibabel (RAS, rows flipped) has the same world coordinates', async () => {
  const path = join(work, 'from-dicom.nii.gz');
  runPython(
    `import sys, os, numpy as np, pydicom, nibabel as nib
files = [pydicom.dcmread(os.path.join(sys.argv[1], f)) for f in sorted(os.listdir(sys.argv[1]))]
r = np.array(files[0].ImageOrientationPatient[:3], float); c = np.array(files[0].ImageOrientationPatient[3:], float)
n = np.cross(r, c)
files.sort(key=lambda d: float(np.dot(n, np.array(d.ImagePositionPatient, float))))
dr, dc = [float(x) for x in files[0].PixelSpacing]
p0 = np.array(files[0].ImagePositionPatient, float); p1 = np.array(files[-1].ImagePositionPatient, float)
step = (p1 - p0) / (len(files) - 1)
# data[i, j, k] = pixel (row j, column i) of slice k, HU
vol = np.stack([d.pixel_array.T.astype(np.float32) * float(d.RescaleSlope) + float(d.RescaleIntercept) for d in files], axis=2)
lps = np.eye(4); lps[:3, 0] = r * dc; lps[:3, 1] = c * dr; lps[:3, 2] = step; lps[:3, 3] = p0
# store rows bottom-up (as dcm2niix does): flip j and move the origin to the last row
flip = np.eye(4); flip[1, 1] = -1; flip[1, 3] = vol.shape[1] - 1
ras = np.diag([-1, -1, 1, 1]) @ lps @ flip
img = nib.Nifti1Image(vol[:, ::-1, :].astype(np.int16), ras)
img.set_qform(ras, code=1); img.set_sform(ras, code=1)
nib.save(img, sys.argv[2])`,
    [dicomDir, path],
  );
  const nifti = await readVolume(path);
  assert.equal(nifti.reader, 'nifti');
  assert.equal(nifti.volume.direction[4], -1, 'the NIfTI j axis runs the other way');
  sameWorld(dicom, nifti.volume, 'NIfTI');
});

/** A MetaImage header for `v` (as ITK writes one: TransformMatrix = axis directions one after another). */
function mhdHeader(v: Volume, extra: string[], dataFile: string): string {
  const d = v.direction;
  const t = [d[0], d[3], d[6], d[1], d[4], d[7], d[2], d[5], d[8]];
  return [
    'ObjectType = Image',
    'NDims = 3',
    'BinaryData = True',
    'BinaryDataByteOrderMSB = False',
    ...extra,
    `TransformMatrix = ${t.join(' ')}`,
    `Offset = ${v.origin.join(' ')}`,
    'AnatomicalOrientation = RAI',
    `ElementSpacing = ${v.spacing.join(' ')}`,
    `DimSize = ${v.shape.join(' ')}`,
    'ElementType = MET_SHORT',
    `ElementDataFile = ${dataFile}`,
    '',
  ].join('\n');
}

/** The DICOM volume re-laid with the x axis reversed (a different but equivalent geometry). */
function flippedX(v: Volume): Volume {
  const [nx, ny, nz] = v.shape;
  const data = new Int16Array(v.data.length);
  for (let p = 0; p < data.length; p++) {
    const i = p % nx;
    data[p - i + (nx - 1 - i)] = v.data[p]!;
  }
  const origin = voxelToWorld(v, [nx - 1, 0, 0]);
  const d = v.direction;
  return { data, shape: [nx, ny, nz], spacing: v.spacing, origin, direction: [-d[0]!, d[1]!, d[2]!, -d[3]!, d[4]!, d[5]!, -d[6]!, d[7]!, d[8]!] };
}

test('MetaImage .mhd + .raw, .mha and zlib-compressed .mha give the same world coordinates as the DICOM', async () => {
  const v = flippedX(dicom);
  const bytes = Buffer.from(v.data.buffer, v.data.byteOffset, v.data.byteLength);
  const dir = join(work, 'mhd');
  mkdirSync(join(dir, 'data'), { recursive: true });
  writeFileSync(join(dir, 'data', 'ct.raw'), bytes);
  writeFileSync(join(dir, 'ct.mhd'), mhdHeader(v, [], 'data/ct.raw'));
  writeFileSync(join(dir, 'ct.mha'), Buffer.concat([Buffer.from(mhdHeader(v, [], 'LOCAL')), bytes]));
  const packed = deflateSync(bytes);
  writeFileSync(join(dir, 'ctz.mha'), Buffer.concat([Buffer.from(mhdHeader(v, ['CompressedData = True', `CompressedDataSize = ${packed.length}`], 'LOCAL')), packed]));
  for (const name of ['ct.mhd', 'ct.mha', 'ctz.mha']) {
    const r = await readVolume(join(dir, name));
    assert.equal(r.reader, 'metaimage');
    sameWorld(dicom, r.volume, name);
  }
  assert.deepEqual((await readVolume(join(dir, 'ct.mhd'))).files, [join(dir, 'ct.mhd'), join(dir, 'data', 'ct.raw')]);
});

/** A NRRD header for `v`, its directions expressed in `space` (LPS or RAS). */
function nrrdHeader(v: Volume, space: 'left-posterior-superior' | 'right-anterior-superior', extra: string[]): string {
  const f = space === 'left-posterior-superior' ? [1, 1, 1] : [-1, -1, 1];
  const d = v.direction;
  const axis = (c: number): string => `(${[0, 1, 2].map((r) => f[r]! * d[3 * r + c]! * v.spacing[c]!).join(',')})`;
  return [
    'NRRD0004',
    '# written by the csf-net test',
    'type: short',
    'dimension: 3',
    `space: ${space}`,
    `sizes: ${v.shape.join(' ')}`,
    `space directions: ${axis(0)} ${axis(1)} ${axis(2)}`,
    'kinds: domain domain domain',
    'endian: little',
    `space origin: (${v.origin.map((o, r) => f[r]! * o).join(',')})`,
    ...extra,
    '',
    '',
  ].join('\n');
}

test('NRRD (attached raw in LPS, detached gzip in RAS) gives the same world coordinates as the DICOM', async () => {
  const v = flippedX(dicom);
  const bytes = Buffer.from(v.data.buffer, v.data.byteOffset, v.data.byteLength);
  const dir = join(work, 'nrrd');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'ct.nrrd'), Buffer.concat([Buffer.from(nrrdHeader(v, 'left-posterior-superior', ['encoding: raw'])), bytes]));
  writeFileSync(join(dir, 'ct.raw.gz'), gzipSync(bytes));
  writeFileSync(join(dir, 'ct.nhdr'), nrrdHeader(v, 'right-anterior-superior', ['encoding: gzip', 'data file: ct.raw.gz']));
  for (const name of ['ct.nrrd', 'ct.nhdr']) {
    const r = await readVolume(join(dir, name));
    assert.equal(r.reader, 'nrrd');
    sameWorld(dicom, r.volume, name);
  }
  assert.deepEqual((await readVolume(join(dir, 'ct.nhdr'))).files, [join(dir, 'ct.nhdr'), join(dir, 'ct.raw.gz')]);
  const small: Volume = { data: new Int16Array(24), shape: [2, 3, 4], spacing: [1, 1, 1], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
  const bad: [string, string, string][] = [
    ['outside.nhdr', nrrdHeader(small, 'left-posterior-superior', ['encoding: raw', 'data file: ../x.raw']), 'nrrd-data-file'],
    ['short.nrrd', nrrdHeader(small, 'left-posterior-superior', ['encoding: raw']) + 'abc', 'truncated-voxel-data'],
    ['nospace.nrrd', nrrdHeader(small, 'left-posterior-superior', ['encoding: raw']).replace(/space directions: .*\n/, ''), 'nrrd-no-space'],
    ['ascii.nrrd', nrrdHeader(small, 'left-posterior-superior', ['encoding: ascii']), 'nrrd-header'],
    ['magic.nrrd', 'P5\n', 'nrrd-header'],
  ];
  for (const [name, text, rule] of bad) {
    writeFileSync(join(dir, name), text);
    await assert.rejects(readVolume(join(dir, name)), (e: unknown) => e instanceof InputError && e.rule === rule, `${name}: ${rule}`);
  }
});

test('MetaImage files that break a rule are refused with that rule', () => {
  const dir = join(work, 'mhd-bad');
  mkdirSync(dir, { recursive: true });
  const v: Volume = { data: new Int16Array(24), shape: [2, 3, 4], spacing: [1, 1, 1], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
  const cases: [string, string, string][] = [
    ['outside.mhd', mhdHeader(v, [], '../secret.raw'), 'metaimage-data-file'],
    ['truncated.mha', mhdHeader(v, [], 'LOCAL') + 'short', 'truncated-voxel-data'],
    ['type.mha', mhdHeader(v, [], 'LOCAL').replace('MET_SHORT', 'MET_LONG_LONG'), 'metaimage-element-type'],
    ['twod.mha', mhdHeader(v, [], 'LOCAL').replace('NDims = 3', 'NDims = 2'), 'single-volume'],
    ['list.mhd', mhdHeader(v, [], 'LIST'), 'metaimage-data-file'],
    ['noheader.mha', 'just some bytes', 'metaimage-header'],
    ['zero.mha', mhdHeader(v, [], 'LOCAL').replace('ElementSpacing = 1 1 1', 'ElementSpacing = 1 0 1') + '\0'.repeat(48), 'voxel-size-positive'],
  ];
  for (const [name, text, rule] of cases) {
    const path = join(dir, name);
    writeFileSync(path, text);
    assert.throws(() => readMetaImage(path), (e: unknown) => e instanceof InputError && e.rule === rule && e.file === path, `${name}: ${rule}`);
  }
});
