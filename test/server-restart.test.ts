/**
 * The server dies with SIGKILL while a job runs: its workers go with it, and at the next start the
 * job is accounted for, run again while it has attempts left (default 2) and marked failed with the
 * reason otherwise. Also the token: made and printed once at the first start, stored owner-only,
 * never printed again.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeNifti } from '../src/imaging/nifti-write.js';
import { jobViewSchema } from '../src/server/api-types.js';
import { bearer, startServerProcess, waitForJob, workerPids, type ServerProcess } from '../src/server/testing/server-process.js';
import { phantomScan, phantomStudy, tinyCheckpoint } from '../src/server/testing/study-fixtures.js';
import { postStudy } from '../src/server/testing/upload.js';

const root = mkdtempSync(join(tmpdir(), 'csfnet-server-restart-'));
const dataDir = join(root, 'data');
const checkpoint = join(root, 'tiny.safetensors');
let t0: Buffer;
let t1: Buffer;
let live: ServerProcess | null = null;

before(() => {
  tinyCheckpoint(checkpoint);
  writeNifti(join(root, 't0.nii.gz'), phantomScan(8));
  writeNifti(join(root, 't1.nii.gz'), phantomScan(10));
  t0 = readFileSync(join(root, 't0.nii.gz'));
  t1 = readFileSync(join(root, 't1.nii.gz'));
});

after(async () => {
  await live?.stop('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

async function start(extra: string[] = []): Promise<ServerProcess> {
  live = await startServerProcess(['--data', dataDir, '--checkpoint', checkpoint, '--workers', '1', '--registry', join(root, 'no-registry.db'), ...extra]);
  return live;
}

/** Uploads the pair, waits until its job is running, kills the server with SIGKILL; returns the job id. */
async function killDuringJob(server: ServerProcess, token: string): Promise<string> {
  const accepted = await postStudy(server.url, token, { t0, t1, study: phantomStudy() });
  assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
  const jobId = String(accepted.body.job_id);
  for (;;) {
    const job = (await (await fetch(`${server.url}/api/jobs/${jobId}`, { headers: bearer(token) })).json()) as { status: string };
    if (job.status === 'running') break;
    assert.equal(job.status, 'queued', 'the job must still be running when the server is killed');
    await new Promise((r) => setTimeout(r, 10));
  }
  await server.stop('SIGKILL');
  const end = Date.now() + 10_000;
  while (workerPids(dataDir).length > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(workerPids(dataDir), [], 'worker processes outlived the killed server');
  return jobId;
}

test('the token is made and printed at the first start only, and stored owner-only', async () => {
  const first = await start();
  const printed = /new API token, shown this once \(stored owner-only in (\S+)\): (\S+)/.exec(first.output());
  assert.ok(printed, first.output());
  assert.equal(printed[1], join(dataDir, 'token'));
  assert.equal(readFileSync(printed[1]!, 'utf8').trim(), printed[2]);
  assert.equal(statSync(printed[1]!).mode & 0o777, 0o600);
  await first.stop();
  const second = await start();
  assert.ok(!second.output().includes(printed[2]!), 'the token was printed again');
  assert.match(second.output(), /token in .*token; open http/);
  await second.stop();
});

test('SIGKILL during a job: the job is run again at the next start and finishes', async () => {
  const token = readFileSync(join(dataDir, 'token'), 'utf8').trim();
  const jobId = await killDuringJob(await start(), token);
  const again = await start();
  const job = jobViewSchema.parse(await waitForJob(again.url, token, jobId));
  assert.equal(job.status, 'done', JSON.stringify(job.error));
  assert.equal(job.attempts, 2);
  assert.ok(job.result?.prediction !== null);
  assert.match(again.output(), new RegExp(`"event":"job-requeued","job":"${jobId}"`));
  await again.stop();
});

test('SIGKILL during a job with no attempt left: the job is marked failed with the reason', async () => {
  const token = readFileSync(join(dataDir, 'token'), 'utf8').trim();
  const jobId = await killDuringJob(await start(['--job-attempts', '1']), token);
  const again = await start(['--job-attempts', '1']);
  const job = jobViewSchema.parse(await waitForJob(again.url, token, jobId));
  assert.equal(job.status, 'failed');
  assert.equal(job.error?.rule, 'interrupted');
  assert.match(job.error!.message, /server stopped while this job ran/);
  await again.stop();
});
