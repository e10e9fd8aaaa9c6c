/**
 * csfnet preprocess on worker threads: a synthetic cohort (DICOM series and NIfTI) preprocessed with
 * one thread and with three gives the same index bytes, report and summary; a broken scan fails its
 * subject alone; a store made with another measurement recipe is rebuilt.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { preprocessCohort, type PreprocessSummary } from '../src/cohort/preprocess-cohort.js';
import { PatchStore } from '../src/cohort/patch-store.js';
import { runScanJobs } from '../src/cohort/scan-pool.js';
import { loadCohort } from '../src/cohort/load-cohort.js';
import { DEFAULT_READ_LIMITS } from '../src/imaging/read-limits.js';
import { tempDir } from '../src/imaging/testing/fixtures.js';
import { synthConfigWith } from '../src/synth/synth-config.js';
import { generateCohort } from '../src/synth/write-cohort.js';

const work = tempDir('ingest-preprocess');
const cohort = join(work, 'cohort');
await generateCohort(cohort, synthConfigWith({ subjects: 5, format: 'mixed' }), 12, { workers: 1 });

/** The summary without what depends on the run (its duration and the store's folder). */
function comparable(s: PreprocessSummary): unknown {
  return { ...s, seconds: 0, store: '' };
}

test('one worker thread or three: the same index bytes, report and summary; progress numbers each scan once', async () => {
  const started: number[] = [];
  const done: number[] = [];
  const one = await preprocessCohort(cohort, { out: join(work, 'one'), workers: 1 });
  const three = await preprocessCohort(cohort, {
    out: join(work, 'three'),
    workers: 3,
    onProgress: (p) => (p.action === undefined ? started : done).push(p.index),
  });
  assert.equal(one.patchesWritten, 10);
  assert.deepEqual(comparable(three), comparable(one));
  assert.equal(readFileSync(join(work, 'three', 'index.json'), 'utf8'), readFileSync(join(work, 'one', 'index.json'), 'utf8'));
  assert.deepEqual([...started].sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.deepEqual([...done].sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  // The patches themselves are the same bytes too, and the entries carry the adaptive threshold's levels.
  const a = PatchStore.open(join(work, 'one'));
  const b = PatchStore.open(join(work, 'three'));
  for (const e of a.index.entries) {
    assert.deepEqual(b.read(e.subjectId, e.timepoint).data, a.read(e.subjectId, e.timepoint).data);
    assert.match(e.params, /measure-v2 threshold adaptive/);
    assert.ok(e.measurement.levels !== undefined && e.measurement.levels.backgroundHu < -700, `${e.subjectId} ${e.timepoint}: levels`);
  }
});

test('a broken scan fails its subject alone, on worker threads, and leaves no patch of it', async () => {
  const broken = join(work, 'broken');
  rmSync(broken, { recursive: true, force: true });
  await generateCohort(broken, synthConfigWith({ subjects: 4, format: 'nifti' }), 13, { workers: 1 });
  const victim = join(broken, 'SYN0002', 'T1.nii.gz');
  writeFileSync(victim, readFileSync(victim).subarray(0, 5000)); // cut short: the gzip stream is corrupt
  const store = join(work, 'broken-store');
  const s = await preprocessCohort(broken, { out: store, workers: 3 });
  assert.deepEqual(s.subjectsOk, ['SYN0001', 'SYN0003', 'SYN0004']);
  assert.deepEqual(
    s.skipped.map((k) => [k.subjectId, k.problems.map((p) => [p.rule, p.timepoint])]),
    [['SYN0002', [['gzip', 'T1']]]],
  );
  assert.equal(s.patchesWritten, 6);
  assert.equal(existsSync(join(store, 'patches', 'SYN0002', 'T0.nii.gz')), false, 'the good scan of a skipped subject leaves no patch');
});

test('a store made with a fixed threshold is rebuilt by the adaptive recipe; the same recipe reuses it', async () => {
  const store = join(work, 'recipe');
  const fixed = await preprocessCohort(cohort, { out: store, workers: 2, measure: { thresholdHu: -400 } });
  assert.equal(fixed.patchesWritten, 10);
  assert.equal(PatchStore.open(store).index.entries[0]!.measurement.thresholdHu, -400);
  const adaptive = await preprocessCohort(cohort, { out: store, workers: 2 });
  assert.deepEqual([adaptive.patchesWritten, adaptive.patchesReused], [10, 0]);
  const again = await preprocessCohort(cohort, { out: store, workers: 2 });
  assert.deepEqual([again.patchesWritten, again.patchesReused], [0, 10]);
  assert.equal(readFileSync(join(store, 'index.json'), 'utf8'), readFileSync(join(work, 'one', 'index.json'), 'utf8'));
});

test('runScanJobs returns outcomes in job order whichever thread finishes first', async () => {
  const c = loadCohort(cohort);
  const store = join(work, 'pool');
  const jobs = c.subjects.flatMap((s) => s.scans.map((scan) => ({ store, subjectId: s.id, scan, params: 'p', limits: DEFAULT_READ_LIMITS, measure: {} })));
  const order: number[] = [];
  const outcomes = await runScanJobs(jobs, 4, { onDone: (n) => order.push(n) });
  assert.deepEqual(
    outcomes.map((o) => (o.ok ? `${o.entry.subjectId} ${o.entry.timepoint}` : 'failed')),
    jobs.map((j) => `${j.subjectId} ${j.scan.timepoint}`),
  );
  assert.equal(order.length, jobs.length);
});
