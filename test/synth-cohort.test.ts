/**
 * End to end: a generated cohort is the same bytes for the same seed (whatever the number of worker
 * threads), passes the cohort validation with every subject usable, every image reads back with the
 * project's readers on the planned grid, and the nodule coordinates point at the nodule: the
 * diameter measured there matches the generated one within 15%.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { generateCohort } from '../src/synth/write-cohort.js';
import { synthConfigWith } from '../src/synth/synth-config.js';
import { loadCohort } from '../src/cohort/load-cohort.js';
import { parseCsv } from '../src/cohort/parse-csv.js';
import { checkCohortImages } from '../src/cohort/check-cohort-images.js';
import { reportCounts } from '../src/cohort/validation-report.js';
import { readVolume } from '../src/imaging/read-volume.js';
import { measureNodule } from '../src/imaging/measure-nodule.js';
import { worldToVoxel } from '../src/imaging/volume.js';
import { REPO_ROOT } from '../src/util/testing-paths.js';

const tmp = mkdtempSync(join(tmpdir(), 'csfnet-synth-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

function digest(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), createHash('sha256').update(readFileSync(p)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

function csvRows(path: string): readonly Readonly<Record<string, string>>[] {
  return parseCsv(readFileSync(path, 'utf8'), path).rows;
}

const CFG = synthConfigWith({ subjects: 3, format: 'mixed', t2Fraction: 1 });
const A = join(tmp, 'a');
const summaryA = await generateCohort(A, CFG, 21, { workers: 1 });

test('same seed, same bytes, with one worker thread or two; another seed gives other data', async () => {
  const b = join(tmp, 'b');
  await generateCohort(b, CFG, 21, { workers: 2 });
  const da = digest(A);
  assert.deepEqual(digest(b), da);
  const c = join(tmp, 'c');
  await generateCohort(c, synthConfigWith({ subjects: 1, format: 'mixed' }), 22, { workers: 1 });
  assert.notEqual(digest(c).get('subjects.csv'), da.get('subjects.csv'));
  assert.notEqual(digest(c).get('SYN0001/T0/0001.dcm'), da.get('SYN0001/T0/0001.dcm'));
  assert.equal(summaryA.subjects, 3);
  assert.equal(summaryA.scans, 9);
  assert.equal(summaryA.dicomScans + summaryA.niftiScans, summaryA.scans);
  assert.ok(summaryA.dicomScans > 0 && summaryA.niftiScans > 0, 'mixed uses both formats');
});

test('the cohort validates with every subject usable at three time points', async () => {
  const cohort = loadCohort(A, { requiredTimepoints: 3 });
  await checkCohortImages(cohort);
  const counts = reportCounts(cohort.report);
  assert.equal(counts.total, 3);
  assert.ok(counts.allUsable, JSON.stringify(cohort.report.subjects.filter((s) => !s.ok)));
  const scans = csvRows(join(A, 'scans.csv'));
  assert.deepEqual(scans.map((r) => r.timepoint), ['T0', 'T1', 'T2', 'T0', 'T1', 'T2', 'T0', 'T1', 'T2']);
  for (const [n, r] of scans.entries()) {
    if (r.timepoint !== 'T0') assert.ok(Number(r.days) > Number(scans[n - 1]!.days));
    assert.ok(['solid', 'part-solid', 'ground-glass', 'calcified'].includes(r.nodule_type!));
  }
});

test('every image reads back on a grid of the configured size with the nodule inside', async () => {
  for (const r of csvRows(join(A, 'scans.csv'))) {
    const { volume, reader } = await readVolume(join(A, r.image!));
    assert.equal(reader, r.image!.endsWith('.nii.gz') ? 'nifti' : 'dicom-series');
    const extent = volume.shape.map((n, a) => (n - 1) * volume.spacing[a]!);
    assert.ok(extent[0]! >= 100 && extent[1]! >= 100 && extent[2]! >= 60, `${r.image}: ${extent}`);
    assert.ok(volume.spacing[0] >= 0.6 && volume.spacing[0] <= 0.9 && volume.spacing[2] >= 1 && volume.spacing[2] <= 2.5);
    const ijk = worldToVoxel(volume, [Number(r.x), Number(r.y), Number(r.z)]);
    ijk.forEach((v, a) => assert.ok(v > 8 && v < volume.shape[a]! - 9, `${r.image}: centre at voxel ${ijk}`));
    let min = Infinity;
    let max = -Infinity;
    for (const v of volume.data) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    assert.ok(min >= -1024 && max > -200, `${r.image}: HU ${min}..${max}`);
  }
});

test('coordinates point at the nodule: measured diameter within 15% of the generated one', async () => {
  const seed = 5;
  const dir = join(tmp, 'measure');
  await generateCohort(dir, synthConfigWith({ subjects: 8, format: 'nifti' }), seed, { workers: 1 });
  const scans = csvRows(join(dir, 'scans.csv'));
  const truth = csvRows(join(dir, 'synth-truth.csv'));
  let checked = 0;
  for (const [n, r] of scans.entries()) {
    const t = truth[n]!;
    assert.equal(t.subject_id, r.subject_id);
    const d = Number(t.diameter_mm);
    // Measurable by threshold and connected component: not joined to the chest wall or a vessel, and
    // a few voxels across. The threshold sits halfway between lung (-860 HU) and the nodule.
    if (t.juxtapleural === '1' || t.vessel_contact === '1' || d < 5) continue;
    const { volume } = await readVolume(join(dir, r.image!));
    const m = measureNodule(volume, [Number(r.x), Number(r.y), Number(r.z)], { thresholdHu: (-860 + Number(t.body_hu)) / 2 });
    assert.ok(m.found && !m.touchesBorder && m.meanDiameterMm !== null, `${r.subject_id} ${r.timepoint}: not measurable`);
    assert.ok(Math.abs(m.meanDiameterMm / d - 1) < 0.15, `${r.subject_id} ${r.timepoint}: measured ${m.meanDiameterMm.toFixed(2)} mm, generated ${d} mm`);
    checked++;
  }
  assert.ok(checked >= 5, `only ${checked} measurable scans`);
});

test('csfnet synth writes a cohort that csfnet validate accepts; a non-empty folder is refused', () => {
  const cli = join(REPO_ROOT, 'bin', 'csfnet.js');
  const out = join(tmp, 'cli');
  const run = spawnSync(process.execPath, [cli, 'synth', '--out', out, '--subjects', '1', '--seed', '3', '--format', 'dicom', '--json'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const summary = JSON.parse(run.stdout) as { subjects: number; scans: number; dicom_scans: number; bytes: number };
  assert.equal(summary.subjects, 1);
  assert.equal(summary.dicom_scans, summary.scans);
  assert.ok(summary.bytes > 1e6);
  const validate = execFileSync(process.execPath, [cli, 'validate', '--cohort', out], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  assert.match(validate, /1 of 1 subjects usable/);
  const again = spawnSync(process.execPath, [cli, 'synth', '--out', out, '--subjects', '2'], { encoding: 'utf8' });
  assert.equal(again.status, 2);
  assert.match(again.stderr, /not empty/);
  assert.equal(again.stderr.trim().split('\n').length, 1);
  const bad = spawnSync(process.execPath, [cli, 'synth', '--out', join(tmp, 'bad'), '--prevalence', '1.5'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--prevalence/);
});
