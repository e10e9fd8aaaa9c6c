import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dicomParser from 'dicom-parser';
import { writeDicomSeries, formatDs, CT_IMAGE_STORAGE } from './dicom-write.js';
import type { DicomSeriesMeta } from './dicom-write.js';
import { readDicomSeries } from './dicom-series.js';
import { runPython } from './testing/python.js';
import { voxelToWorld } from './volume.js';
import type { Volume } from './volume.js';
import { InputError } from '../util/errors.js';

/** A small oblique volume: rotated 20 degrees about z and 5 about x, anisotropic, HU from -1000 up. */
function obliqueVolume(): Volume {
  const shape = [6, 5, 4] as const;
  const n = shape[0] * shape[1] * shape[2];
  const data = new Int16Array(n);
  for (let i = 0; i < n; i++) data[i] = -1000 + i * 17;
  const a = (20 * Math.PI) / 180;
  const b = (5 * Math.PI) / 180;
  // Rz(a) * Rx(b), columns = axis directions.
  const rz = [Math.cos(a), -Math.sin(a), 0, Math.sin(a), Math.cos(a), 0, 0, 0, 1];
  const rx = [1, 0, 0, 0, Math.cos(b), -Math.sin(b), 0, Math.sin(b), Math.cos(b)];
  const d = [0, 1, 2].flatMap((r) => [0, 1, 2].map((c) => rz[3 * r]! * rx[c]! + rz[3 * r + 1]! * rx[3 + c]! + rz[3 * r + 2]! * rx[6 + c]!));
  return { data, shape, spacing: [0.68359375, 0.68359375, 2.5], origin: [-123.45703125, 40.25, -210.5], direction: d };
}

const META: DicomSeriesMeta = {
  patientId: 'SYN0042',
  patientSex: 'F',
  patientAgeYears: 63,
  studyInstanceUid: '2.25.1001',
  seriesInstanceUid: '2.25.1002',
  frameOfReferenceUid: '2.25.1003',
  studyDate: '20010101',
  rescaleIntercept: -1024,
  synthetic: true,
};

function withTempDir(body: (dir: string) => void | Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'csfnet-dicom-write-'));
  return Promise.resolve(body(dir)).finally(() => rmSync(dir, { recursive: true, force: true }));
}

test('formatDs keeps decimal strings within 16 characters', () => {
  assert.equal(formatDs(0.68359375), '0.68359375');
  assert.equal(formatDs(-123.45703125), '-123.45703125');
  assert.equal(formatDs(-0), '0');
  const long = formatDs(-123.45678901234567);
  assert.ok(long.length <= 16, long);
  assert.ok(Math.abs(Number(long) + 123.45678901234567) < 1e-10);
  assert.equal(formatDs(1e-20).length <= 16, true);
});

test('each slice is a CT Image Storage file whose tags and pixels dicom-parser reads back', () =>
  withTempDir((dir) => {
    const v = obliqueVolume();
    const paths = writeDicomSeries(dir, v, META);
    assert.deepEqual(readdirSync(dir).sort(), ['0001.dcm', '0002.dcm', '0003.dcm', '0004.dcm']);
    assert.equal(paths.length, 4);
    const [nx, ny] = v.shape;
    for (let k = 0; k < 4; k++) {
      const ds = dicomParser.parseDicom(new Uint8Array(readFileSync(paths[k]!)));
      assert.equal(ds.string('x00020010'), '1.2.840.10008.1.2.1', 'explicit VR little endian');
      assert.equal(ds.string('x00080016'), CT_IMAGE_STORAGE);
      assert.equal(ds.string('x00080018'), `2.25.1002.${k + 1}`);
      assert.equal(ds.string('x00080060'), 'CT');
      assert.equal(ds.string('x0008001c'), 'YES');
      assert.equal(ds.string('x00100020'), 'SYN0042');
      assert.equal(ds.string('x00101010'), '063Y');
      assert.equal(ds.string('x0020000e'), '2.25.1002');
      assert.equal(ds.uint16('x00280010'), ny);
      assert.equal(ds.uint16('x00280011'), nx);
      assert.equal(ds.uint16('x00280103'), 1);
      assert.equal(ds.floatString('x00281052'), -1024);
      assert.equal(ds.floatString('x00281053'), 1);
      const ipp = [0, 1, 2].map((i) => ds.floatString('x00200032', i)!);
      const expected = voxelToWorld(v, [0, 0, k]);
      for (let a = 0; a < 3; a++) assert.ok(Math.abs(ipp[a]! - expected[a]) < 1e-9, `IPP ${ipp} vs ${expected}`);
      const iop = [0, 1, 2, 3, 4, 5].map((i) => ds.floatString('x00200037', i)!);
      const d = v.direction;
      const want = [d[0]!, d[3]!, d[6]!, d[1]!, d[4]!, d[7]!];
      for (let a = 0; a < 6; a++) assert.ok(Math.abs(iop[a]! - want[a]!) < 1e-12);
      const el = ds.elements['x7fe00010']!;
      const px = new Int16Array(ds.byteArray.buffer.slice(ds.byteArray.byteOffset + el.dataOffset, ds.byteArray.byteOffset + el.dataOffset + el.length));
      for (let p = 0; p < nx * ny; p++) assert.equal(px[p]! - 1024, v.data[k * nx * ny + p]);
    }
  }));

test('the project reader gets the volume back: same values, geometry and direction', () =>
  withTempDir(async (dir) => {
    const v = obliqueVolume();
    writeDicomSeries(dir, v, { ...META, rescaleIntercept: 0 });
    const s = await readDicomSeries(dir);
    assert.deepEqual([...s.volume.shape], [...v.shape]);
    for (let a = 0; a < 3; a++) {
      assert.ok(Math.abs(s.volume.spacing[a]! - v.spacing[a]!) < 1e-6);
      assert.ok(Math.abs(s.volume.origin[a]! - v.origin[a]!) < 1e-6);
    }
    for (let e = 0; e < 9; e++) assert.ok(Math.abs(s.volume.direction[e]! - v.direction[e]!) < 1e-6, `direction ${s.volume.direction}`);
    assert.deepEqual(Array.from(s.volume.data), Array.from(v.data));
  }));

test('pydicom (an independent reader) decodes the same HU and geometry; dcmftest accepts the files', () =>
  withTempDir((dir) => {
    const v = obliqueVolume();
    writeDicomSeries(dir, v, META);
    const script = [
      'import sys, json, glob, pydicom',
      'out = []',
      'for f in sorted(glob.glob(sys.argv[1] + "/*.dcm")):',
      '    d = pydicom.dcmread(f)',
      '    hu = (d.pixel_array.astype(float) * float(d.RescaleSlope) + float(d.RescaleIntercept)).ravel().tolist()',
      '    out.append({"hu": hu, "ipp": [float(x) for x in d.ImagePositionPatient], "ps": [float(x) for x in d.PixelSpacing], "sop": d.SOPClassUID, "tsuid": d.file_meta.TransferSyntaxUID})',
      'print(json.dumps(out))',
    ].join('\n');
    const slices = JSON.parse(runPython(script, [dir])) as { hu: number[]; ipp: number[]; ps: number[]; sop: string; tsuid: string }[];
    const [nx, ny] = v.shape;
    assert.equal(slices.length, 4);
    slices.forEach((s, k) => {
      assert.deepEqual(s.hu, Array.from(v.data.subarray(k * nx * ny, (k + 1) * nx * ny)));
      assert.deepEqual(s.ps, [v.spacing[1], v.spacing[0]]);
      assert.equal(s.sop, CT_IMAGE_STORAGE);
      const expected = voxelToWorld(v, [0, 0, k]);
      s.ipp.forEach((x, a) => assert.ok(Math.abs(x - expected[a]!) < 1e-9));
    });
    const check = execFileSync('dcmftest', readdirSync(dir).map((f) => join(dir, f)), { encoding: 'utf8' });
    assert.equal((check.match(/^yes:/gm) ?? []).length, 4, check);
  }));

test('values that do not fit int16 after the intercept, bad UIDs and wrong data lengths are InputErrors', () =>
  withTempDir((dir) => {
    const v = obliqueVolume();
    const hot = { ...v, data: Int16Array.from(v.data, (x, i) => (i === 7 ? 32000 : x)) };
    assert.throws(() => writeDicomSeries(join(dir, 'a'), hot, META), (e: unknown) => e instanceof InputError && e.rule === 'int16-range');
    assert.throws(() => writeDicomSeries(join(dir, 'b'), v, { ...META, seriesInstanceUid: '2.25.01' }), (e: unknown) => e instanceof InputError && e.rule === 'dicom-uid');
    assert.throws(() => writeDicomSeries(join(dir, 'c'), v, { ...META, studyInstanceUid: 'x.1' }), (e: unknown) => e instanceof InputError && e.rule === 'dicom-uid');
    const short = { ...v, data: v.data.subarray(1) };
    assert.throws(() => writeDicomSeries(join(dir, 'd'), short, META), (e: unknown) => e instanceof InputError && e.rule === 'data-length');
  }));

test('the same volume and meta give byte-identical files', () =>
  withTempDir((dir) => {
    const v = obliqueVolume();
    const a = writeDicomSeries(join(dir, 'a'), v, META);
    const b = writeDicomSeries(join(dir, 'b'), v, META);
    a.forEach((p, i) => assert.ok(readFileSync(p).equals(readFileSync(b[i]!))));
  }));
