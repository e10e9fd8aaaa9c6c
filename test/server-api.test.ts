/**
 * The server's API against a real `csfnet serve` process on loopback: authentication, the upload
 * limit, every kind of malformed upload, zip path traversal, a full prediction of a phantom pair
 * (one scan a DICOM zip carrying patient identifiers that must not reach the log or the data folder),
 * a cohort subject already on the server and the registry's cross-validation reports.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNifti } from '../src/imaging/nifti-read.js';
import { writeNifti } from '../src/imaging/nifti-write.js';
import { errorBodySchema, jobViewSchema, reportDetailSchema, serverInfoSchema, studyViewSchema } from '../src/server/api-types.js';
import { bearer, startServerProcess, waitForJob, type ServerProcess } from '../src/server/testing/server-process.js';
import { dicomZip, NODULE_CENTRE, phantomScan, phantomStudy, SECRET_PATIENT, tinyCheckpoint } from '../src/server/testing/study-fixtures.js';
import { getJson, postStudy } from '../src/server/testing/upload.js';
import { writeZip } from '../src/server/testing/write-zip.js';
import { Registry } from '../src/store/index.js';

const TOKEN = 'api-test-token-0123456789abcdef';
const root = mkdtempSync(join(tmpdir(), 'csfnet-server-api-'));
const dataDir = join(root, 'data');
let server: ServerProcess;

const niftiOf = (diameter: number, name: string): Buffer => {
  const path = join(root, name);
  writeNifti(path, phantomScan(diameter));
  return readFileSync(path);
};
let t0Nii: Buffer;
let t1NiiGz: Buffer;

before(async () => {
  t0Nii = niftiOf(8, 'p8.nii');
  t1NiiGz = niftiOf(10, 'p10.nii.gz');
  tinyCheckpoint(join(root, 'tiny.safetensors'));
  // A cohort folder (cohort-format.md) with one subject whose scans are the phantom pair.
  const cohort = join(root, 'phantom-cohort');
  mkdirSync(join(cohort, 'P001'), { recursive: true });
  writeNifti(join(cohort, 'P001', 't0.nii'), phantomScan(8));
  writeNifti(join(cohort, 'P001', 't1.nii'), phantomScan(10));
  writeFileSync(join(cohort, 'subjects.csv'), 'subject_id,label,age,gender,race,cigsmok\nP001,1,63,1,1,1\n');
  const [x, y, z] = NODULE_CENTRE;
  writeFileSync(join(cohort, 'scans.csv'), `subject_id,timepoint,days,image,x,y,z\nP001,T0,0,P001/t0.nii,${x},${y},${z}\nP001,T1,180,P001/t1.nii,${x},${y},${z}\n`);
  // A registry with one finished cross-validation run and its report folder.
  const registry = Registry.open(join(root, 'registry.db'));
  const run = registry.startRun({ kind: 'cv', config: { folds: 5 }, codeVersion: 'test', seed: 3, cohort });
  registry.addFold(run, { model: 'csfnet', fold: 0, bestEpoch: 4, nTrain: 8, nValidation: 2, nTest: 2, seconds: 1.5 });
  registry.addMetrics(run, [{ model: 'csfnet', scope: 'pooled', name: 'auc', value: 0.75, lo: 0.6, hi: 0.9 }]);
  mkdirSync(join(root, 'report'));
  writeFileSync(join(root, 'report', 'report.html'), '<!doctype html><title>r</title><h1>AUC 0.75</h1>');
  registry.finishRun(run, { status: 'done', reportDir: join(root, 'report') });
  registry.close();
  server = await startServerProcess([
    '--data', dataDir, '--token', TOKEN, '--max-upload-mb', '1', '--workers', '2',
    '--checkpoint', join(root, 'tiny.safetensors'), '--cohort', cohort, '--registry', join(root, 'registry.db'),
  ]);
});

after(async () => {
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

test('health needs no token; every other route answers 401 without the right one', async () => {
  const health = await getJson(server.url, null, '/api/health');
  assert.equal(health.status, 200);
  assert.deepEqual(health.body, { status: 'ok', version: (health.body as { version: string }).version });
  for (const path of ['/api/info', '/api/studies', '/api/openapi.json', '/api/jobs/00000000-0000-4000-8000-000000000000', '/api/reports', '/api/cohorts']) {
    for (const token of [null, 'wrong-token-wrong-token-wrong']) {
      const r = await getJson(server.url, token, path);
      assert.equal(r.status, 401, `${path} with ${token}`);
      assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="csf-net"');
      errorBodySchema.parse(r.body);
    }
  }
  const post = await fetch(`${server.url}/api/studies`, { method: 'POST', body: new FormData() });
  assert.equal(post.status, 401);
  const info = await getJson(server.url, TOKEN, '/api/info');
  assert.equal(info.status, 200);
  const parsed = serverInfoSchema.parse(info.body);
  assert.equal(parsed.checkpoint?.variant, 'tiny');
  assert.equal(parsed.max_upload_bytes, 1024 * 1024);
  assert.deepEqual(parsed.cohorts, ['phantom-cohort']);
});

test('the OpenAPI document lists every route', async () => {
  const r = await getJson(server.url, TOKEN, '/api/openapi.json');
  assert.equal(r.status, 200);
  const doc = r.body as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
  assert.equal(doc.openapi, '3.1.0');
  for (const path of ['/api/health', '/api/studies', '/api/studies/{id}', '/api/studies/{id}/volumes/{name}', '/api/jobs/{id}', '/api/cohorts/{name}/subjects/{subject}/predict', '/api/reports/{id}']) {
    assert.ok(path in doc.paths, path);
  }
  assert.ok('StudyInput' in doc.components.schemas && 'Job' in doc.components.schemas);
});

test('an upload over the configured size gets 413', async () => {
  const big = new Uint8Array(1200 * 1024).fill(1);
  const r = await postStudy(server.url, TOKEN, { t0: big, t1: t1NiiGz, study: phantomStudy() });
  assert.equal(r.status, 413);
  errorBodySchema.parse(r.body);
  // The same without a declared length (chunked): the limit is counted as the body streams in.
  const boundary = 'csfnetboundary';
  const parts = [Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="t0"; filename="a"\r\n\r\n`), big, Buffer.from(`\r\n--${boundary}--\r\n`)];
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      for (const part of parts) c.enqueue(part);
      c.close();
    },
  });
  const chunked = await fetch(`${server.url}/api/studies`, { method: 'POST', body, duplex: 'half', headers: { ...bearer(TOKEN), 'content-type': `multipart/form-data; boundary=${boundary}` } } as RequestInit);
  assert.equal(chunked.status, 413);
  errorBodySchema.parse(await chunked.json());
});

test('paths outside /api serve the viewer and never a file outside it', async () => {
  for (const path of ['/%2e%2e/%2e%2e/package.json', '/..%2f..%2fpackage.json', '/assets/..%2f..%2f..%2fpackage.json']) {
    const res = await fetch(`${server.url}${path}`);
    const text = await res.text();
    assert.ok(!text.includes('"name": "csf-net"'), `${path} served package.json`);
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'/);
  }
});

/** Each malformed upload, the rule its 400 names and where. */
function malformed(): Array<{ name: string; parts: Parameters<typeof postStudy>[2]; rule: string; where?: string }> {
  const outside = phantomStudy({ t1: { x: NODULE_CENTRE[0], y: NODULE_CENTRE[1], z: NODULE_CENTRE[2] + 90 } });
  return [
    { name: 'no study field', parts: { t0: t0Nii, t1: t1NiiGz }, rule: 'study-missing', where: 'study' },
    { name: 'study not JSON', parts: { t0: t0Nii, t1: t1NiiGz, study: '{"days": 180,' }, rule: 'study-json', where: 'study' },
    { name: 'days missing', parts: { t0: t0Nii, t1: t1NiiGz, study: { ...phantomStudy(), days: undefined } }, rule: 'study-field', where: 'study.days' },
    { name: 'gender code', parts: { t0: t0Nii, t1: t1NiiGz, study: phantomStudy({ clinical: { age: 63, gender: 9, race: 1, cigsmok: 1 } }) }, rule: 'study-field', where: 'study.clinical.gender' },
    { name: 'age outside the vocabulary', parts: { t0: t0Nii, t1: t1NiiGz, study: phantomStudy({ clinical: { age: 90, gender: 1, race: 1, cigsmok: 1 } }) }, rule: 'clinical-value-unknown', where: 'study.clinical.age' },
    { name: 'T1 file missing', parts: { t0: t0Nii, study: phantomStudy() }, rule: 'file-missing', where: 't1' },
    { name: 'not a scan', parts: { t0: Buffer.from('just some text'), t1: t1NiiGz, study: phantomStudy() }, rule: 'unsupported-upload', where: 't0' },
    { name: 'damaged zip', parts: { t0: Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(300, 9)]), t1: t1NiiGz, study: phantomStudy() }, rule: 'zip-malformed', where: 't0' },
    { name: 'zip without DICOM', parts: { t0: writeZip([{ name: 'a/readme.txt', data: Buffer.from('hello') }]), t1: t1NiiGz, study: phantomStudy() }, rule: 'no-dicom', where: 't0' },
    { name: 'truncated NIfTI', parts: { t0: t0Nii, t1: t0Nii.subarray(0, 4000), study: phantomStudy() }, rule: 'truncated-voxel-data', where: 't1' },
    { name: 'coordinate outside the scan', parts: { t0: t0Nii, t1: t1NiiGz, study: outside }, rule: 'centre-outside-volume', where: 't1' },
    { name: 'zip entry with ../', parts: { t0: writeZip([{ name: 'series/IM1', data: Buffer.from('x') }, { name: '../../evil-traversal.txt', data: Buffer.from('pwned') }]), t1: t1NiiGz, study: phantomStudy() }, rule: 'zip-path-traversal', where: 't0' },
    { name: 'zip entry with an absolute path', parts: { t0: writeZip([{ name: '/tmp/evil-traversal.txt', data: Buffer.from('pwned') }]), t1: t1NiiGz, study: phantomStudy() }, rule: 'zip-path-traversal', where: 't0' },
  ];
}

test('each malformed input gets 400 naming the rule and where; nothing is stored or left behind', async () => {
  for (const c of malformed()) {
    const r = await postStudy(server.url, TOKEN, c.parts);
    assert.equal(r.status, 400, `${c.name}: ${JSON.stringify(r.body)}`);
    const e = errorBodySchema.parse(r.body).error;
    assert.equal(e.rule, c.rule, `${c.name}: ${e.message}`);
    if (c.where) assert.equal(e.where, c.where, `${c.name}: ${e.message}`);
    assert.ok(!e.message.includes(dataDir), `${c.name}: the message shows a server path: ${e.message}`);
  }
  const notMultipart = await fetch(`${server.url}/api/studies`, { method: 'POST', body: JSON.stringify(phantomStudy()), headers: { ...bearer(TOKEN), 'content-type': 'application/json' } });
  assert.equal(notMultipart.status, 400);
  assert.equal(errorBodySchema.parse(await notMultipart.json()).error.rule, 'not-multipart');
  const list = await getJson(server.url, TOKEN, '/api/studies');
  assert.deepEqual(list.body, { studies: [] });
  assert.deepEqual(readdirSync(join(dataDir, 'uploads')), []);
  assert.deepEqual(readdirSync(join(dataDir, 'studies')), []);
  const everywhere = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? everywhere(join(d, e.name)) : [e.name]));
  assert.ok(!everywhere(root).includes('evil-traversal.txt') && !readdirSync('/tmp').includes('evil-traversal.txt'));
});

test('a DICOM zip and a NIfTI pair: the job finishes with measurements, rules and a prediction; no identifier is kept', async () => {
  const accepted = await postStudy(server.url, TOKEN, { t0: dicomZip(phantomScan(8)), t1: t1NiiGz, study: phantomStudy({ label: 'phantom pair' }) });
  assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
  const job = jobViewSchema.parse(await waitForJob(server.url, TOKEN, String(accepted.body.job_id)));
  assert.equal(job.status, 'done', JSON.stringify(job.error));
  const r = job.result!;
  assert.ok(Math.abs(r.measurements.t0.mean_diameter_mm! - 8) < 0.4 && Math.abs(r.measurements.t1.mean_diameter_mm! - 10) < 0.4);
  assert.equal(r.lung_rads.category, '4B');
  assert.ok(r.prediction !== null && r.prediction.p_malignant > 0 && r.prediction.p_malignant < 1);
  assert.equal(r.growth.interpretation, 'suspicious');
  const study = studyViewSchema.parse((await getJson(server.url, TOKEN, `/api/studies/${String(accepted.body.study_id)}`)).body);
  assert.equal(study.label, 'phantom pair');
  assert.equal(study.scans.t0.reader, 'dicom-series');
  // The stored T0 is the DICOM series' voxels, served as NIfTI.
  const vol = await fetch(`${server.url}${r.links.t0}`, { headers: bearer(TOKEN) });
  assert.equal(vol.status, 200);
  const path = join(root, 'downloaded.nii');
  writeFileSync(path, Buffer.from(await vol.arrayBuffer()));
  assert.deepEqual(Array.from(readNifti(path).data), Array.from(phantomScan(8).data));
  for (const link of [r.links.t1, r.links.t0_patch, r.links.t1_patch, r.links.t0_cam!, r.links.t1_cam!]) {
    assert.equal((await fetch(`${server.url}${link}`, { headers: bearer(TOKEN) })).status, 200, link);
  }
  assert.equal((await fetch(`${server.url}/api/studies/${study.id}/volumes/..%2Fserver.db`, { headers: bearer(TOKEN) })).status, 404);
  // Neither the log nor any file of the data folder holds the series' patient name, ID or UIDs.
  const files = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(d, e.name)) : [join(d, e.name)]));
  const stored = files(dataDir).map((f) => readFileSync(f).toString('latin1'));
  for (const secret of Object.values(SECRET_PATIENT)) {
    assert.ok(!server.output().includes(secret), `log holds ${secret}`);
    assert.ok(stored.every((text) => !text.includes(secret)), `data folder holds ${secret}`);
  }
  assert.equal(statSync(dataDir).mode & 0o077, 0, 'data folder is owner-only');
});

test('a cohort subject already on the server is predicted', async () => {
  const subjects = await getJson(server.url, TOKEN, '/api/cohorts/phantom-cohort/subjects');
  assert.deepEqual((subjects.body as { subjects: Array<{ id: string; usable: boolean }> }).subjects.map((s) => [s.id, s.usable]), [['P001', true]]);
  const res = await fetch(`${server.url}/api/cohorts/phantom-cohort/subjects/P001/predict`, { method: 'POST', headers: bearer(TOKEN) });
  assert.equal(res.status, 202);
  const accepted = (await res.json()) as { job_id: string; study_id: string };
  const job = jobViewSchema.parse(await waitForJob(server.url, TOKEN, accepted.job_id));
  assert.equal(job.status, 'done', JSON.stringify(job.error));
  assert.deepEqual(job.result!.prediction!.clinical, { race: '1', cigsmok: '1', gender: '1', age: '63' });
  const study = studyViewSchema.parse((await getJson(server.url, TOKEN, `/api/studies/${accepted.study_id}`)).body);
  assert.deepEqual(study.source, { kind: 'cohort', cohort: 'phantom-cohort', subject_id: 'P001' });
  // Predict the stored study again: a second job with the same result.
  const again = await fetch(`${server.url}/api/studies/${accepted.study_id}/jobs`, { method: 'POST', headers: bearer(TOKEN) });
  assert.equal(again.status, 202);
  const second = jobViewSchema.parse(await waitForJob(server.url, TOKEN, ((await again.json()) as { job_id: string }).job_id));
  assert.equal(second.result?.prediction?.p_malignant, job.result?.prediction?.p_malignant);
  assert.equal(studyViewSchema.parse((await getJson(server.url, TOKEN, `/api/studies/${accepted.study_id}`)).body).jobs.length, 2);
  assert.equal((await fetch(`${server.url}/api/studies/not-a-study/jobs`, { method: 'POST', headers: bearer(TOKEN) })).status, 404);
  const missing = await fetch(`${server.url}/api/cohorts/phantom-cohort/subjects/NOPE/predict`, { method: 'POST', headers: bearer(TOKEN) });
  assert.equal(missing.status, 404);
});

test("the registry's cross-validation reports are listed with their metrics and report file", async () => {
  const list = (await getJson(server.url, TOKEN, '/api/reports')).body as { reports: Array<{ id: number; cohort: string; has_report: boolean }> };
  assert.deepEqual(list.reports.map((r) => [r.cohort, r.has_report]), [['phantom-cohort', true]]);
  const detail = reportDetailSchema.parse((await getJson(server.url, TOKEN, `/api/reports/${list.reports[0]!.id}`)).body);
  assert.deepEqual(detail.metrics, [{ model: 'csfnet', scope: 'pooled', name: 'auc', value: 0.75, lo: 0.6, hi: 0.9 }]);
  assert.deepEqual(detail.files, ['report.html']);
  const html = await fetch(`${server.url}/api/reports/${detail.id}/files/report.html`, { headers: bearer(TOKEN) });
  assert.match(await html.text(), /AUC 0\.75/);
  assert.match(html.headers.get('content-security-policy') ?? '', /sandbox/);
  assert.equal((await fetch(`${server.url}/api/reports/${detail.id}/files/..%2F..%2Fregistry.db`, { headers: bearer(TOKEN) })).status, 404);
});
