/**
 * DICOM series reading on the real CT in ../shared/data/tcia-lung-pet-ct-dx (TCIA Lung-PET-CT-Dx,
 * doi 10.7937/TCIA.2020.NNC20461, CC BY 4.0) and on fixtures made from its slices with dcmtk and
 * gdcm: compressed transfer syntaxes, a negative SpacingBetweenSlices, and broken series.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDicomSeries } from '../src/imaging/dicom-series.js';
import { readVolume } from '../src/imaging/read-volume.js';
import { runPython } from '../src/imaging/testing/python.js';
import { copyInto, tciaData, tempDir, tool } from '../src/imaging/testing/fixtures.js';
import { voxelToWorld } from '../src/imaging/volume.js';
import { InputError } from '../src/util/errors.js';

const series2 = tciaData('A0001', 'series-2');
const slices = (names: readonly string[]): string[] => names.map((n) => join(series2, n));
const work = tempDir('ingest-dicom');

async function expectRule(folder: string, rule: string, fileIncludes?: string): Promise<InputError> {
  try {
    await readDicomSeries(folder);
  } catch (e) {
    assert.ok(e instanceof InputError, `expected an InputError, got ${String(e)}`);
    assert.equal(e.rule, rule, e.message);
    if (fileIncludes !== undefined) assert.ok((e.file ?? '').includes(fileIncludes), `${e.file} should name ${fileIncludes}`);
    return e;
  }
  assert.fail(`${folder}: expected rule ${rule}, but the series was read`);
}

test('A0001 series-2: geometry and HU agree with the DICOM tags as pydicom reads them', async () => {
  const s = await readDicomSeries(series2);
  const v = s.volume;
  assert.deepEqual(v.shape, [512, 512, 64]);
  assert.deepEqual(v.direction, [1, 0, 0, 0, 1, 0, 0, 0, 1], '+z slice direction');
  assert.equal(v.origin[2], -439);
  assert.ok(Math.abs(v.spacing[0] - 0.8418) < 1e-4 && Math.abs(v.spacing[1] - 0.8418) < 1e-4);
  assert.equal(v.spacing[2], 5);
  const expected = JSON.parse(
    runPython(
      `import sys, os, json, pydicom
rows = []
for f in sorted(os.listdir(sys.argv[1])):
    d = pydicom.dcmread(os.path.join(sys.argv[1], f))
    hu = d.pixel_array.astype(float) * float(d.RescaleSlope) + float(d.RescaleIntercept)
    rows.append({"file": f, "ipp": [float(x) for x in d.ImagePositionPatient], "hu": [hu[300, 320], hu[0, 0], hu[256, 100]]})
print(json.dumps(rows))`,
      [series2],
    ),
  ) as { file: string; ipp: number[]; hu: number[] }[];
  assert.equal(expected.length, 64);
  for (const e of expected) {
    const k = s.files.findIndex((f) => f.endsWith(e.file));
    const w = voxelToWorld(v, [0, 0, k]);
    e.ipp.forEach((x, a) => assert.ok(Math.abs(x - w[a]!) < 1e-6, `${e.file} IPP[${a}]`));
    const at = (i: number, j: number): number => v.data[i + 512 * (j + 512 * k)]!;
    // pydicom indexes [row, column] = [j, i]; padding (<= -2000) would read as air here.
    assert.deepEqual([at(320, 300), at(0, 0), at(100, 256)], e.hu.map((h) => (h <= -2000 ? -1000 : h)), e.file);
  }
});

test('compressed transfer syntaxes (JPEG-LS, JPEG 2000, RLE, JPEG lossless, deflate, big endian) decode to the same HU', async () => {
  const names = ['1-20.dcm', '1-21.dcm', '1-22.dcm'];
  copyInto(join(work, 'raw'), slices(names));
  const reference = await readDicomSeries(join(work, 'raw'));
  const encoders: Record<string, (src: string, dst: string) => string[]> = {
    'jpeg-ls (dcmcjpls)': (s, d) => ['dcmcjpls', s, d],
    'jpeg-ls (gdcm)': (s, d) => ['gdcmconv', '--jpegls', s, d],
    'jpeg-2000 (gdcm)': (s, d) => ['gdcmconv', '--j2k', s, d],
    'rle (dcmcrle)': (s, d) => ['dcmcrle', s, d],
    'jpeg lossless (dcmcjpeg)': (s, d) => ['dcmcjpeg', s, d],
    'deflate (dcmconv +td)': (s, d) => ['dcmconv', '+td', s, d],
    'big endian (dcmconv +tb)': (s, d) => ['dcmconv', '+tb', s, d],
  };
  let n = 0;
  for (const [label, args] of Object.entries(encoders)) {
    const dir = join(work, `enc-${n++}`);
    copyInto(dir, []);
    for (const name of names) {
      const [cmd, ...rest] = args(join(series2, name), join(dir, name));
      tool(cmd!, rest);
    }
    const s = await readDicomSeries(dir);
    assert.deepEqual(s.volume.shape, reference.volume.shape, label);
    assert.deepEqual(s.volume.origin, reference.volume.origin, label);
    let differing = 0;
    for (let i = 0; i < s.volume.data.length; i++) if (s.volume.data[i] !== reference.volume.data[i]) differing++;
    assert.equal(differing, 0, `${label}: ${differing} voxels differ from the uncompressed series`);
  }
});

test('8-bit baseline JPEG (libjpeg-turbo) decodes as dcmtk decodes it, within JPEG rounding', async () => {
  // 8-bit grayscale copies of two slices (pydicom), compressed lossy with dcmcjpeg +eb and
  // decompressed again with dcmdjpeg: both decoders must agree to within IDCT rounding.
  const plain = join(work, 'u8');
  const jpeg = join(work, 'u8-jpeg');
  const back = join(work, 'u8-dcmdjpeg');
  copyInto(plain, []);
  copyInto(jpeg, []);
  copyInto(back, []);
  runPython(
    `import sys, os, numpy as np, pydicom
from pydicom.uid import ExplicitVRLittleEndian
for name in ["1-20.dcm", "1-21.dcm"]:
    d = pydicom.dcmread(os.path.join(sys.argv[1], name))
    hu = d.pixel_array.astype(float) * float(d.RescaleSlope) + float(d.RescaleIntercept)
    d.PixelData = np.clip((hu + 1000) / 8, 0, 255).astype(np.uint8).tobytes()
    d.BitsAllocated = 8; d.BitsStored = 8; d.HighBit = 7; d.PixelRepresentation = 0
    d.RescaleSlope = 8; d.RescaleIntercept = -1000
    d.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    d.is_implicit_VR = False; d.is_little_endian = True
    d.save_as(os.path.join(sys.argv[2], name))`,
    [series2, plain],
  );
  for (const name of ['1-20.dcm', '1-21.dcm']) {
    tool('dcmcjpeg', ['+eb', '+q', '95', join(plain, name), join(jpeg, name)]);
    tool('dcmdjpeg', [join(jpeg, name), join(back, name)]);
  }
  assert.match(tool('dcmdump', ['-M', join(jpeg, '1-20.dcm')]), /JPEGBaseline/);
  const ours = (await readDicomSeries(jpeg)).volume;
  const theirs = (await readDicomSeries(back)).volume;
  const original = (await readDicomSeries(plain)).volume;
  let worst = 0;
  let sum = 0;
  let drift = 0;
  for (let i = 0; i < ours.data.length; i++) {
    const d = Math.abs(ours.data[i]! - theirs.data[i]!) / 8; // in stored gray levels
    worst = Math.max(worst, d);
    sum += d;
    drift += Math.abs(ours.data[i]! - original.data[i]!) / 8;
  }
  assert.ok(worst <= 2, `largest difference from dcmtk's decoding: ${worst} gray levels`);
  assert.ok(sum / ours.data.length < 0.5, `mean difference ${sum / ours.data.length}`);
  // Lossy: the pixels did go through JPEG (they differ a little from the uncompressed ones).
  assert.ok(drift / ours.data.length > 0.1 && drift / ours.data.length < 3, `mean difference from the uncompressed pixels ${drift / ours.data.length}`);
});

test('a negative SpacingBetweenSlices (as Philips writes) does not flip the volume', async () => {
  const names = ['1-30.dcm', '1-31.dcm', '1-32.dcm', '1-33.dcm'];
  copyInto(join(work, 'plain-4'), slices(names));
  const plain = await readDicomSeries(join(work, 'plain-4'));
  const files = copyInto(join(work, 'negative'), slices(names));
  tool('dcmodify', ['-nb', '-m', '(0018,0088)=-5', ...files]);
  assert.match(tool('dcmdump', [files[0]!]), /\(0018,0088\) DS \[-5\]/);
  const flipped = await readDicomSeries(join(work, 'negative'));
  assert.deepEqual(flipped.volume.origin, plain.volume.origin);
  assert.deepEqual(flipped.volume.direction, plain.volume.direction);
  assert.deepEqual(flipped.volume.spacing, plain.volume.spacing);
  assert.deepEqual(Array.from(flipped.volume.data.subarray(0, 5000)), Array.from(plain.volume.data.subarray(0, 5000)));
});

test('broken series each give their own rule, naming the file', async () => {
  const names = ['1-40.dcm', '1-41.dcm', '1-42.dcm', '1-43.dcm', '1-44.dcm'];

  const truncated = copyInto(join(work, 'truncated'), slices(names));
  truncateSync(truncated[2]!, statSync(truncated[2]!).size - 1000);
  const t = await expectRule(join(work, 'truncated'), 'truncated-pixel-data', '1-42.dcm');
  assert.match(t.message, /pixel data truncated/);

  const mixed = join(work, 'mixed');
  copyInto(mixed, slices(names.slice(0, 3)));
  copyInto(mixed, [tciaData('A0001', 'series-3', '1-44.dcm')]);
  const m = await expectRule(mixed, 'mixed-series');
  assert.match(m.message, /2 series mixed/);

  const duplicated = join(work, 'duplicated');
  copyInto(duplicated, slices(names));
  copyFileSync(join(series2, '1-42.dcm'), join(duplicated, '1-42-copy.dcm'));
  await expectRule(duplicated, 'duplicate-slices', '1-42');

  const gap = join(work, 'gap');
  copyInto(gap, slices(['1-40.dcm', '1-41.dcm', '1-43.dcm', '1-44.dcm', '1-45.dcm']));
  const g = await expectRule(gap, 'missing-slices');
  // series-2 slice 1-NN lies at z = -124 - 5 (NN - 1): the gap is between 1-43 (-334) and 1-41 (-324).
  assert.match(g.message, /-334 -> -324 mm/);

  const tilted = copyInto(join(work, 'tilted'), slices(names));
  tilted.forEach((f, k) => tool('dcmodify', ['-nb', '-m', `(0020,0032)=-228.036842\\${(-93.0631599 + 0.5 * k).toFixed(4)}\\${-124 - 5 * (39 + k)}`, f]));
  await expectRule(join(work, 'tilted'), 'gantry-tilt');

  copyInto(join(work, 'lossy12'), []);
  tool('dcmcjpeg', ['+ee', join(series2, '1-40.dcm'), join(work, 'lossy12', '1-40.dcm')]);
  const e = await expectRule(join(work, 'lossy12'), 'transfer-syntax', '1-40.dcm');
  assert.match(e.message, /1\.2\.840\.10008\.1\.2\.4\.51 \(JPEG Extended \(12-bit\)\)/);
});

test('PixelPaddingValue and values at or below -2000 HU read as air', async () => {
  const names = ['1-50.dcm', '1-51.dcm'];
  copyInto(join(work, 'unpadded'), slices(names));
  const plain = (await readDicomSeries(join(work, 'unpadded'))).volume;
  const files = copyInto(join(work, 'padded'), slices(names));
  // Stored 1000 is -24 HU with this series' intercept of -1024: declared padding, it becomes air.
  tool('dcmodify', ['-nb', '-i', '(0028,0120)=1000', ...files]);
  const padded = (await readDicomSeries(join(work, 'padded'))).volume;
  let changed = 0;
  for (let n = 0; n < plain.data.length; n++) {
    const expected = plain.data[n] === -24 ? -1000 : plain.data[n];
    assert.equal(padded.data[n], expected);
    if (expected !== plain.data[n]) changed++;
  }
  assert.ok(changed > 10, `${changed} padding voxels`);
  // With RescaleIntercept -3024 every HU is 2000 lower: those at or below -2000 become air.
  const shifted = copyInto(join(work, 'shifted'), slices(names));
  tool('dcmodify', ['-nb', '-m', '(0028,1052)=-3024', ...shifted]);
  const low = (await readDicomSeries(join(work, 'shifted'))).volume;
  let air = 0;
  for (let n = 0; n < plain.data.length; n++) {
    const hu = plain.data[n]! - 2000;
    assert.equal(low.data[n], hu <= -2000 ? -1000 : hu);
    if (hu <= -2000) air++;
  }
  assert.ok(air > 1000, `${air} voxels at or below -2000 HU`);
});

test('a non-DICOM file in a series folder is skipped and reported', async () => {
  const dir = join(work, 'with-readme');
  copyInto(dir, slices(['1-10.dcm', '1-11.dcm']));
  writeFileSync(join(dir, 'README.txt'), 'exported by a PACS');
  const r = await readVolume(dir);
  assert.equal(r.reader, 'dicom-series');
  assert.equal(r.files.length, 2);
  assert.ok(r.notes.some((n) => n.includes('README.txt')), r.notes.join('\n'));
  assert.deepEqual(readdirSync(dir).sort(), ['1-10.dcm', '1-11.dcm', 'README.txt']);
});

test('A0002 series-2-partial: 30 slices whose positions are read and reported (8 mm steps, z 80..312)', async () => {
  // The shared README calls this "a subset of a longer scan with gaps between slices"; its
  // ImagePositionPatient values are 30 evenly spaced positions, 8 mm apart (SliceThickness 8),
  // so position-based checks find no gap inside it. The report lists the positions it covers.
  const r = await readVolume(tciaData('A0002', 'series-2-partial'));
  assert.deepEqual(r.volume.shape, [512, 512, 30]);
  assert.equal(r.volume.spacing[2], 8);
  assert.deepEqual(r.volume.origin.map((x) => Math.round(x * 1000) / 1000), [-173.177, -294.177, 80]);
  assert.ok(r.notes.some((n) => n.includes('30 slices at 80.00..312.00 mm')), r.notes.join('\n'));
});
