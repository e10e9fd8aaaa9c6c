import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotFoundError } from '../util/errors.js';
import type { ScanInfo, StudyResult } from './api-types.js';
import { JobStore, type StudyRecord } from './job-store.js';

const dir = mkdtempSync(join(tmpdir(), 'csfnet-jobstore-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const scan: ScanInfo = { reader: 'nifti', shape: [2, 2, 2], spacing: [1, 1, 1], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], bounds: { min: [0, 0, 0], max: [1, 1, 1] } };
const study = (id: string): StudyRecord => ({
  id,
  label: `label ${id}`,
  createdAt: new Date().toISOString(),
  source: { kind: 'upload' },
  input: { days: 10, t0: { x: 0, y: 0, z: 0 }, t1: { x: 0, y: 0, z: 0 }, clinical: {} },
  scans: { t0: scan, t1: scan },
});

test('jobs are claimed oldest first, once each, and keep their results across a reopen', () => {
  const path = join(dir, 'a.db');
  const store = JobStore.open(path);
  store.addStudyWithJob(study('s1'), 'j1');
  store.addStudyWithJob(study('s2'), 'j2');
  store.addJob('j3', 's1');
  assert.throws(() => store.addJob('j4', 'nope'), NotFoundError);
  const a = store.claimNext();
  const b = store.claimNext();
  assert.deepEqual([a?.id, b?.id], ['j1', 'j2']);
  assert.equal(a?.status, 'running');
  assert.equal(a?.attempts, 1);
  store.finish('j1', { seconds: 1 } as StudyResult);
  store.fail('j2', { message: 'bad', rule: 'r' });
  assert.deepEqual(store.counts(), { queued: 1, running: 0, done: 1, failed: 1 });
  store.close();

  const again = JobStore.open(path);
  assert.equal(again.getJob('j1').status, 'done');
  assert.deepEqual(again.getJob('j1').result, { seconds: 1 });
  assert.deepEqual(again.getJob('j2').error, { message: 'bad', rule: 'r' });
  assert.deepEqual(again.jobsOf('s1').map((j) => j.id), ['j1', 'j3']);
  assert.deepEqual(again.listStudies(10).map((s) => [s.study.id, s.job.id]), [['s2', 'j2'], ['s1', 'j3']]);
  assert.equal(again.claimNext()?.id, 'j3');
  assert.equal(again.claimNext(), null);
  again.close();
});

test('jobs left running are queued again while attempts remain, then failed with the reason', () => {
  const store = JobStore.open(join(dir, 'b.db'));
  store.addStudyWithJob(study('s1'), 'j1');
  store.addStudyWithJob(study('s2'), 'j2');
  store.claimNext();
  store.claimNext();
  assert.deepEqual(store.recoverInterrupted(2), { requeued: ['j1', 'j2'], failed: [] });
  assert.equal(store.getJob('j1').status, 'queued');
  store.claimNext();
  assert.equal(store.getJob('j1').attempts, 2);
  assert.deepEqual(store.recoverInterrupted(2), { requeued: [], failed: ['j1'] });
  const failed = store.getJob('j1');
  assert.equal(failed.status, 'failed');
  assert.equal(failed.error?.rule, 'interrupted');
  assert.match(failed.error!.message, /server stopped while this job ran \(2 attempts/);
  // A graceful stop gives the attempt back.
  store.claimNext();
  assert.equal(store.getJob('j2').attempts, 2);
  store.requeue('j2');
  assert.deepEqual([store.getJob('j2').status, store.getJob('j2').attempts], ['queued', 1]);
  store.close();
});
