/**
 * 50 uploads at once on loopback: every one is accepted with its own job, every job finishes with
 * the result of its own study (told apart by its interval in days), nothing is lost or mixed up,
 * and the API keeps answering while the workers run. No checkpoint here: the queue is under test,
 * not the network (server-api.test.ts runs the network).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeNifti } from '../src/imaging/nifti-write.js';
import { jobViewSchema, serverInfoSchema, studySummarySchema } from '../src/server/api-types.js';
import { startServerProcess, waitForJob, type ServerProcess } from '../src/server/testing/server-process.js';
import { phantomScan, phantomStudy } from '../src/server/testing/study-fixtures.js';
import { getJson, postStudy } from '../src/server/testing/upload.js';

const TOKEN = 'concurrency-test-token-0123456789';
const COUNT = 50;
const root = mkdtempSync(join(tmpdir(), 'csfnet-server-load-'));
let server: ServerProcess;

before(async () => {
  server = await startServerProcess(['--data', join(root, 'data'), '--token', TOKEN, '--workers', '2', '--registry', join(root, 'no-registry.db')]);
});

after(async () => {
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

test(`${COUNT} concurrent uploads: all accepted, all jobs finished with their own results, none lost`, async (t) => {
  writeNifti(join(root, 't0.nii.gz'), phantomScan(8));
  writeNifti(join(root, 't1.nii.gz'), phantomScan(10));
  const t0 = readFileSync(join(root, 't0.nii.gz'));
  const t1 = readFileSync(join(root, 't1.nii.gz'));

  let uploading = true;
  const health: number[] = [];
  const probe = (async () => {
    while (uploading) {
      const started = performance.now();
      const r = await fetch(`${server.url}/api/health`);
      assert.equal(r.status, 200);
      await r.body?.cancel();
      health.push(performance.now() - started);
      await new Promise((res) => setTimeout(res, 50));
    }
  })();

  const days = Array.from({ length: COUNT }, (_, i) => 30 + i);
  const answers = await Promise.all(days.map((d) => postStudy(server.url, TOKEN, { t0, t1, study: phantomStudy({ days: d, label: `load ${d}` }) })));
  for (const a of answers) assert.equal(a.status, 202, JSON.stringify(a.body));
  const jobIds = answers.map((a) => String(a.body.job_id));
  assert.equal(new Set(jobIds).size, COUNT);

  const info = serverInfoSchema.parse((await getJson(server.url, TOKEN, '/api/info')).body);
  t.diagnostic(`queue right after the uploads: ${info.queue.queued} queued, ${info.queue.running} running`);
  const jobs = await Promise.all(jobIds.map((id) => waitForJob(server.url, TOKEN, id, 240_000)));
  uploading = false;
  await probe;

  jobs.forEach((raw, i) => {
    const job = jobViewSchema.parse(raw);
    assert.equal(job.status, 'done', JSON.stringify(job.error));
    assert.equal(job.attempts, 1);
    assert.equal(job.study_id, answers[i]!.body.study_id);
    assert.equal(job.result!.growth.days, days[i], 'the result belongs to the study of its job');
  });
  const list = (await getJson(server.url, TOKEN, '/api/studies?limit=1000')).body as { studies: unknown[] };
  const studies = list.studies.map((s) => studySummarySchema.parse(s));
  assert.equal(studies.length, COUNT);
  assert.deepEqual(new Set(studies.map((s) => s.job.id)), new Set(jobIds));
  assert.ok(studies.every((s) => s.job.status === 'done'));
  const after = serverInfoSchema.parse((await getJson(server.url, TOKEN, '/api/info')).body);
  assert.deepEqual(after.queue, { queued: 0, running: 0 });
  assert.ok(health.length > 0, 'the health route answered while the jobs ran');
  health.sort((a, b) => a - b);
  t.diagnostic(`health answered ${health.length} times during the run: median ${health[health.length >> 1]!.toFixed(0)} ms, max ${health[health.length - 1]!.toFixed(0)} ms`);
});
