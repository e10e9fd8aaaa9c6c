/**
 * End to end through the command line: a cohort with the real CT of TCIA Lung-PET-CT-Dx A0001
 * (doi 10.7937/TCIA.2020.NNC20461, CC BY 4.0; series-2 as T0, series-3, a second reconstruction of
 * the same moment, as T1), a phantom whose nodule grows from 8 to 10 mm in a year, and subjects that
 * break rules. `csfnet validate` and `csfnet preprocess` report per subject, skip the bad ones,
 * write a patch store that PatchStore and nibabel read back, and reuse or rebuild patches.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PatchStore } from '../src/cohort/patch-store.js';
import { HU_WINDOW } from '../src/imaging/extract-patch.js';
import { writeNifti } from '../src/imaging/nifti-write.js';
import { centredGrid } from '../src/imaging/sample-grid.js';
import { copyInto, repoRoot, tciaData, tempDir } from '../src/imaging/testing/fixtures.js';
import { ellipsoidPhantom } from '../src/imaging/testing/phantom.js';
import { runPython } from '../src/imaging/testing/python.js';
import type { Vec3 } from '../src/imaging/volume.js';

const work = tempDir('ingest-cohort');
const cohort = join(work, 'cohort');
const store = join(work, 'store');
const nodule: Vec3 = [-30.5, 12.25, -80.75];

function writePhantom(path: string, diameter: number): void {
  const grid = centredGrid([nodule[0] + 0.3, nodule[1] - 0.2, nodule[2] + 0.1], [100, 100, 70], [0.7, 0.7, 1]);
  writeNifti(path, ellipsoidPhantom(grid, { centre: nodule, diametersMm: [diameter, diameter, diameter] }));
}

mkdirSync(join(cohort, 'A0001'), { recursive: true });
symlinkSync(tciaData('A0001', 'series-2'), join(cohort, 'A0001', 'T0'));
symlinkSync(tciaData('A0001', 'series-3'), join(cohort, 'A0001', 'T1'));
mkdirSync(join(cohort, 'P1'));
writePhantom(join(cohort, 'P1', 'T0.nii.gz'), 8);
writePhantom(join(cohort, 'P1', 'T1.nii.gz'), 10);
// A series with a missing slice (1-15 left out), and a centre far outside the phantom's volume.
copyInto(join(cohort, 'GAP', 'T0'), ['1-12.dcm', '1-13.dcm', '1-14.dcm', '1-16.dcm', '1-17.dcm'].map((n) => tciaData('A0001', 'series-2', n)));
writeFileSync(join(cohort, 'subjects.csv'), 'subject_id,label,age,gender,race,cigsmok\nA0001,1,58,1,,1\nP1,1,63,2,1,0\nGAP,0,70,1,1,1\nFAR,0,66,2,2,0\n');
writeFileSync(
  join(cohort, 'scans.csv'),
  [
    'subject_id,timepoint,days,image,x,y,z',
    'A0001,T0,0,A0001/T0,42.2,202.4,-209',
    'A0001,T1,1,A0001/T1,42.2,202.4,-209',
    `P1,T0,0,P1/T0.nii.gz,${nodule.join(',')}`,
    `P1,T1,365,P1/T1.nii.gz,${nodule.join(',')}`,
    'GAP,T0,0,GAP/T0,42.2,202.4,-190',
    `GAP,T1,30,P1/T1.nii.gz,${nodule.join(',')}`,
    'FAR,T0,0,P1/T0.nii.gz,250,0,-80',
    `FAR,T1,10,P1/T1.nii.gz,${nodule.join(',')}`,
    '',
  ].join('\n'),
);

function csfnet(...args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(repoRoot(), 'bin', 'csfnet.js'), ...args], { encoding: 'utf8' });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test('csfnet validate: exit 3 with the report, bad subjects named by rule, the others ok', () => {
  const r = csfnet('validate', '--cohort', cohort);
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stdout, /ok {7}A0001: T0 512x512x64 @ 0\.84x0\.84x5\.00 mm \(dicom-series\); T1 512x512x64/);
  assert.match(r.stdout, /ok {7}P1: /);
  // Slice 1-NN of series-2 lies at z = -124 - 5 (NN - 1): without 1-15 the gap is -199 -> -189.
  assert.match(r.stdout, /PROBLEM {2}GAP:\n.*\[missing-slices\] T0: .*1-14\.dcm: series has gaps \(missing slices\) at -199 -> -189 mm \(1-16\.dcm -> 1-14\.dcm\); the usual step is 5 mm/);
  assert.match(r.stdout, /PROBLEM {2}FAR:\n.*\[centre-outside-volume\] T0: subject FAR T0: nodule centre \(250\.0, 0\.0, -80\.0\) lies outside the volume \(x -64\.8\.\.4\.5, y -22\.6\.\.46\.7, z -115\.2\.\.-46\.2 mm, LPS\)/);
  assert.match(r.stdout, /2 of 4 subjects usable/);
  assert.match(r.stderr, /reading 1\/8: subject A0001 T0/);
});

test('csfnet validate --json prints the report as JSON', () => {
  // A cohort of its own with the cheap subjects (phantom NIfTI), so the real CT is not read again.
  const small = join(work, 'small');
  mkdirSync(join(small, 'P1'), { recursive: true });
  symlinkSync(join(cohort, 'P1', 'T0.nii.gz'), join(small, 'P1', 'T0.nii.gz'));
  symlinkSync(join(cohort, 'P1', 'T1.nii.gz'), join(small, 'P1', 'T1.nii.gz'));
  writeFileSync(join(small, 'subjects.csv'), 'subject_id,label\nP1,1\nONE,0\n');
  writeFileSync(join(small, 'scans.csv'), `subject_id,timepoint,days,image,x,y,z\nP1,T0,0,P1/T0.nii.gz,${nodule.join(',')}\nP1,T1,365,P1/T1.nii.gz,${nodule.join(',')}\nONE,T0,0,P1/T0.nii.gz,${nodule.join(',')}\n`);
  const r = csfnet('validate', '--cohort', small, '--json');
  assert.equal(r.status, 3);
  const json = JSON.parse(r.stdout) as { imagesChecked: boolean; subjects: { subjectId: string; ok: boolean; problems: { rule: string }[]; scans: { reader?: string; shape?: number[] }[] }[] };
  assert.equal(json.imagesChecked, true);
  assert.deepEqual(json.subjects.map((s) => [s.subjectId, s.ok, s.problems.map((p) => p.rule)]), [['P1', true, []], ['ONE', false, ['too-few-timepoints']]]);
  assert.deepEqual(json.subjects[0]!.scans.map((s) => [s.reader, s.shape]), [['nifti', [100, 100, 70]], ['nifti', [100, 100, 70]]]);
  assert.equal(csfnet('validate', '--cohort', small, '--timepoints', '1').status, 0);
});

test('csfnet validate and preprocess exit 2 on an unreadable cohort', () => {
  const r = csfnet('validate', '--cohort', join(work, 'no-such-cohort'));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^csfnet: .*no-such-cohort: cohort folder not found\n$/);
  assert.equal(csfnet('preprocess', '--cohort', join(work, 'no-such-cohort')).status, 2);
});

test('csfnet preprocess: patches for usable subjects, bad ones skipped with reasons, growth measured', () => {
  const r = csfnet('preprocess', '--cohort', cohort, '--out', store, '--json');
  assert.equal(r.status, 3, r.stderr);
  const s = JSON.parse(r.stdout) as {
    subjectsOk: string[];
    skipped: { subjectId: string; problems: { rule: string }[] }[];
    patchesWritten: number;
    growth: { subjectId: string; volumeChangePercent: number; vdtDays: number | null; reliable: boolean }[];
  };
  assert.deepEqual(s.subjectsOk, ['A0001', 'P1']);
  assert.deepEqual(s.skipped.map((k) => [k.subjectId, k.problems.map((p) => p.rule)]), [['GAP', ['missing-slices']], ['FAR', ['centre-outside-volume']]]);
  assert.equal(s.patchesWritten, 4);
  const a = s.growth.find((g) => g.subjectId === 'A0001')!;
  // Same moment, two reconstructions: no growth. The tumour exceeds the 64 mm region, so the
  // volumes are those inside the region and the growth is flagged as not reliable.
  assert.ok(Math.abs(a.volumeChangePercent) < 10, `A0001 change ${a.volumeChangePercent}%`);
  assert.equal(a.reliable, false);
  assert.equal(a.vdtDays, null);
  const p = s.growth.find((g) => g.subjectId === 'P1')!;
  const trueChange = 100 * ((10 / 8) ** 3 - 1); // +95.3 %
  const trueVdt = (365 * Math.LN2) / Math.log((10 / 8) ** 3); // 378 days
  assert.equal(p.reliable, true);
  assert.ok(Math.abs(p.volumeChangePercent - trueChange) < 10, `P1 change ${p.volumeChangePercent}% vs ${trueChange}`);
  assert.ok(Math.abs(p.vdtDays! / trueVdt - 1) < 0.1, `P1 VDT ${p.vdtDays} vs ${trueVdt}`);
  assert.match(r.stderr, /\[1\/8\] subject A0001 T0: extracted/);
});

test('PatchStore reads 16x64x64 patches with their geometry and measurement; nibabel places them in world space', () => {
  const ps = PatchStore.open(store);
  assert.deepEqual(ps.subjects(), ['A0001', 'P1']);
  const t0 = ps.read('A0001', 'T0');
  assert.deepEqual(t0.dhw, [16, 64, 64]);
  assert.equal(t0.data.length, 16 * 64 * 64);
  assert.ok(t0.data.every((v) => v >= 0 && v <= 1));
  const core = t0.data[32 + 64 * (32 + 64 * 8)]! * (HU_WINDOW.max - HU_WINDOW.min) + HU_WINDOW.min;
  assert.ok(core > -100 && core < 150, `core ${core} HU`);
  [42.2 - 31.5, 202.4 - 31.5, -209 - 7.5].forEach((x, a) => assert.ok(Math.abs(t0.geometry.origin[a]! - x) < 1e-4, `origin ${a}`));
  assert.equal(t0.measurement.touchesBorder, true);
  assert.equal(t0.entry.reader, 'dicom-series');
  assert.match(t0.entry.source.sha256, /^sha256:[0-9a-f]{64}$/);
  const p1 = ps.read('P1', 'T1').measurement;
  assert.ok(Math.abs(p1.meanDiameterMm! - 10) < 1, `P1 T1 diameter ${p1.meanDiameterMm}`);
  const world = JSON.parse(
    runPython(`import sys, json, nibabel as nib\nimg = nib.load(sys.argv[1])\nprint(json.dumps([img.shape, (img.affine @ [31.5, 31.5, 7.5, 1])[:3].tolist()]))`, [join(store, t0.entry.patch)]),
  ) as [number[], number[]];
  assert.deepEqual(world[0], [64, 64, 16]);
  // RAS from nibabel = LPS centre with x and y negated.
  [-42.2, -202.4, -209].forEach((x, a) => assert.ok(Math.abs(world[1][a]! - x) < 1e-3, `axis ${a}`));
});

test('a second run reuses every patch; a changed source is rebuilt, the rest reused', () => {
  const index = join(store, 'index.json');
  const before = readFileSync(index, 'utf8');
  const patchFile = join(store, 'patches', 'A0001', 'T0.nii.gz');
  const mtime = statSync(patchFile).mtimeMs;
  const again = JSON.parse(csfnet('preprocess', '--cohort', cohort, '--out', store, '--json').stdout) as { patchesWritten: number; patchesReused: number };
  assert.deepEqual([again.patchesWritten, again.patchesReused], [0, 4]);
  assert.equal(readFileSync(index, 'utf8'), before, 'the index is the same bytes');
  assert.equal(statSync(patchFile).mtimeMs, mtime, 'the patch file was not rewritten');

  writePhantom(join(cohort, 'P1', 'T1.nii.gz'), 12);
  const changed = JSON.parse(csfnet('preprocess', '--cohort', cohort, '--out', store, '--json').stdout) as {
    patchesWritten: number;
    patchesReused: number;
    growth: { subjectId: string; volumeChangePercent: number }[];
  };
  assert.deepEqual([changed.patchesWritten, changed.patchesReused], [1, 3]);
  const g = changed.growth.find((x) => x.subjectId === 'P1')!;
  assert.ok(Math.abs(g.volumeChangePercent - 100 * ((12 / 8) ** 3 - 1)) < 15, `P1 change ${g.volumeChangePercent}%`);
});
