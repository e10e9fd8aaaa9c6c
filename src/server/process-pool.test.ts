import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeNifti } from '../imaging/nifti-write.js';
import { DEFAULT_READ_LIMITS } from '../imaging/read-limits.js';
import { InputError } from '../util/errors.js';
import type { IntakeTask } from './intake-scans.js';
import { ProcessPool, WorkerLostError } from './process-pool.js';
import { checkStudyInput } from './study-input.js';
import { phantomScan, phantomStudy, tinyCheckpoint } from './testing/study-fixtures.js';

const script = fileURLToPath(new URL('./worker-main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'csfnet-pool-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
writeNifti(join(dir, 't0.nii'), phantomScan(8));
writeNifti(join(dir, 't1.nii'), phantomScan(10));
tinyCheckpoint(join(dir, 'tiny.safetensors'));
const predict = { kind: 'predict' as const, studyId: 's', studyDir: dir, input: checkStudyInput(phantomStudy()), checkpoint: join(dir, 'tiny.safetensors'), threads: 1 };

const pool = (taskTimeoutMs: number): ProcessPool => new ProcessPool({ name: 'test', size: 1, script, args: ['--csfnet-worker=test', dir], taskTimeoutMs });

test('typed errors come back from the worker as the same class, rule and field', async () => {
  const p = pool(60_000);
  try {
    writeFileSync(join(dir, 'junk.upload'), 'not a scan');
    const task: IntakeTask = {
      kind: 'intake',
      workDir: dir,
      outDir: dir,
      sources: { t0: { kind: 'upload', file: join(dir, 'junk.upload') }, t1: { kind: 'path', path: join(dir, 't1.nii') } },
      centres: { t0: [0, 0, 0], t1: [0, 0, 0] },
      unzip: { maxEntries: 10, maxBytes: 1000 },
      read: DEFAULT_READ_LIMITS,
    };
    await assert.rejects(p.run(task), (err: unknown) => err instanceof InputError && err.rule === 'unsupported-upload' && err.file === 't0');
  } finally {
    await p.close();
  }
});

test('a worker killed during a task rejects it; the next task runs on a new worker', async () => {
  const p = pool(120_000);
  try {
    const running = p.run(predict);
    while (p.busyPids.length === 0) await new Promise((r) => setTimeout(r, 5));
    const pid = p.busyPids[0]!;
    process.kill(pid, 'SIGKILL');
    await assert.rejects(running, (err: unknown) => err instanceof WorkerLostError && err.rule === 'worker-exit' && /SIGKILL/.test(err.message));
    const result = await p.run(predict);
    assert.ok(result.prediction !== null && result.prediction.p_malignant > 0);
  } finally {
    await p.close();
  }
});

test('a task over its time limit is stopped and rejected', async () => {
  const p = pool(1);
  try {
    await assert.rejects(p.run(predict), (err: unknown) => err instanceof WorkerLostError && err.rule === 'timeout');
  } finally {
    await p.close();
  }
});
