/**
 * The training commands end to end on a small synthetic cohort: cv writes a report and the same
 * table twice, train killed mid-run and resumed ends with the same weights as an uninterrupted run,
 * predict reads the cohort and writes Grad-CAM volumes, runs lists what happened, and bad inputs
 * exit 2 with one line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { readNifti } from '../src/imaging/nifti-read.js';
import { writeNifti } from '../src/imaging/nifti-write.js';
import { readSafetensorsFile } from '../src/nn/index.js';
import { synthConfigWith } from '../src/synth/synth-config.js';
import { generateCohort } from '../src/synth/write-cohort.js';

const root = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
const bin = join(root, 'bin', 'csfnet.js');
const work = mkdtempSync(join(tmpdir(), 'csfnet-cli-'));
const cohort = join(work, 'cohort');
const env = { ...process.env, CSFNET_HOME: join(work, 'home') };
const registry = join(work, 'registry.db');

function csfnet(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test.before(async () => {
  await generateCohort(cohort, synthConfigWith({ subjects: 10, format: 'nifti' }), 3);
});

test('cv writes the report and gives the same table twice', () => {
  const args = ['cv', '--cohort', cohort, '--folds', '2', '--epochs', '1', '--variant', 'tiny', '--models', 'csfnet,single-t1', '--registry', registry, '--json'];
  const first = csfnet([...args, '--out', join(work, 'r1')]);
  assert.equal(first.code, 0, first.stderr);
  const a = JSON.parse(first.stdout) as { models: Record<string, { metrics: { auc: { value: number } } }>; run: number };
  assert.ok(a.models.csfnet && a.models['single-t1'] && a.models['brock-2b'], Object.keys(a.models).join(','));
  assert.ok(existsSync(join(work, 'r1', 'report.html')));
  const second = csfnet([...args, '--out', join(work, 'r2')]);
  assert.equal(second.code, 0, second.stderr);
  const b = JSON.parse(second.stdout) as typeof a;
  assert.deepEqual(b.models, a.models);
  assert.equal(readFileSync(join(work, 'r1', 'predictions.csv'), 'utf8'), readFileSync(join(work, 'r2', 'predictions.csv'), 'utf8'));
  const runs = JSON.parse(csfnet(['runs', 'list', '--registry', registry, '--json']).stdout) as Array<{ id: number; status: string; kind: string }>;
  assert.deepEqual(runs.map((r) => [r.kind, r.status]), [['cv', 'done'], ['cv', 'done']]);
  const shown = csfnet(['runs', 'show', String(a.run), '--registry', registry]);
  assert.match(shown.stdout, /csfnet fold 1: best epoch/);
});

test('cv with size and growth supervision reports what each network measured, out of fold, and how it was trained', () => {
  const out = join(work, 'r-readouts');
  const r = csfnet(['cv', '--cohort', cohort, '--folds', '2', '--epochs', '2', '--variant', 'tiny', '--models', 'csfnet,single-t1,clinical-only', '--no-rules', '--size-weight', '1', '--growth-weight', '1', '--pooling', 'centre', '--clinical-warmup', '1', '--registry', registry, '--out', out, '--json']);
  assert.equal(r.code, 0, r.stderr);
  type Readouts = Record<string, { n: number; pearson: { value: number | null } }>;
  const models = (JSON.parse(r.stdout) as { models: Record<string, { readouts?: Readouts }> }).models;
  assert.deepEqual(Object.keys(models.csfnet!.readouts ?? {}), ['size-t0', 'size-t1', 'growth']);
  assert.deepEqual(Object.keys(models['single-t1']!.readouts ?? {}), ['size-t1']);
  assert.equal(models['clinical-only']!.readouts, undefined);
  // Every subject of the synthetic cohort has its diameters in scans.csv, so each is measured once.
  for (const q of ['size-t0', 'size-t1', 'growth']) assert.equal(models.csfnet!.readouts![q]!.n, 10, q);
  const md = readFileSync(join(out, 'report.md'), 'utf8');
  assert.match(md, /## What the networks measured\n\n\| model \| quantity/);
  const training = '2-fold cross-validation, tiny variant, 2 epochs, batch 4, Adam lr 0.0001 (cosine), unweighted cross-entropy, best-validation epoch kept, 20% of each training part for validation, fused map pooled at its centre, size loss x1, growth loss x1, images alone for the first epoch, seed 0';
  assert.ok(md.includes(`- Networks: ${training}.`), 'the method says how the networks were trained');
  assert.equal((JSON.parse(r.stdout) as { training?: string }).training, training);
});

test('train killed mid-run and resumed ends with the weights of an uninterrupted run', async () => {
  const base = ['train', '--cohort', cohort, '--variant', 'tiny', '--epochs', '3', '--batch', '2', '--registry', registry, '--json'];
  const whole = csfnet([...base, '--out', join(work, 'whole.safetensors')]);
  assert.equal(whole.code, 0, whole.stderr);
  const ckpt = join(work, 'killed.safetensors');
  const state = `${ckpt}.state.safetensors`;
  const child = spawn(process.execPath, [bin, ...base, '--out', ckpt], { env, stdio: 'ignore' });
  // Wait for the first epoch's state, then kill the process in the middle of the second epoch.
  while (!existsSync(state)) await sleep(100);
  const firstSave = statSync(state).mtimeMs;
  await sleep(300);
  assert.equal(statSync(state).mtimeMs, firstSave, 'still inside the second epoch');
  child.kill('SIGKILL');
  await new Promise((done) => child.on('exit', done));
  assert.ok(!existsSync(ckpt), 'no checkpoint from the killed run');
  const resumed = csfnet([...base, '--out', ckpt, '--resume']);
  assert.equal(resumed.code, 0, resumed.stderr);
  const a = readSafetensorsFile(join(work, 'whole.safetensors')).tensors;
  const b = readSafetensorsFile(ckpt).tensors;
  for (const [k, t] of a) assert.deepEqual(b.get(k)?.toArray(), t.toArray(), k);
  assert.ok(!existsSync(state), 'the state file is removed once the checkpoint is written');
  const runs = JSON.parse(csfnet(['runs', 'list', '--registry', registry, '--json']).stdout) as Array<{ status: string; kind: string }>;
  assert.ok(runs.some((r) => r.kind === 'train' && r.status === 'crashed'), 'the killed run is marked crashed');
});

test('evaluate scores a checkpoint beside the rules, and the readouts only of one trained with size and growth supervision', () => {
  const ckpt = join(work, 'supervised.safetensors');
  const trained = csfnet(['train', '--cohort', cohort, '--variant', 'tiny', '--epochs', '1', '--batch', '2', '--size-weight', '1', '--growth-weight', '1', '--registry', registry, '--out', ckpt, '--json']);
  assert.equal(trained.code, 0, trained.stderr);
  const record = JSON.parse(readSafetensorsFile(ckpt).metadata['training']!) as { size_weight: number; growth_weight: number; epochs: number };
  assert.deepEqual([record.size_weight, record.growth_weight, record.epochs], [1, 1, 1]);
  type Out = { models: Record<string, { n: number; readouts?: Record<string, { n: number }> }> };
  const supervised = csfnet(['evaluate', '--checkpoint', ckpt, '--cohort', cohort, '--json']);
  assert.equal(supervised.code, 0, supervised.stderr);
  const a = JSON.parse(supervised.stdout) as Out;
  assert.equal(a.models.csfnet!.n, 10);
  assert.ok(a.models['brock-2b'], 'the rules are scored beside it');
  assert.deepEqual(Object.entries(a.models.csfnet!.readouts ?? {}).map(([q, r]) => [q, r.n]), [['size-t0', 10], ['size-t1', 10], ['growth', 10]]);
  // whole.safetensors (the resume test) was trained on the label alone: nothing to read out.
  const plain = csfnet(['evaluate', '--checkpoint', join(work, 'whole.safetensors'), '--cohort', cohort, '--json']);
  assert.equal(plain.code, 0, plain.stderr);
  assert.equal((JSON.parse(plain.stdout) as Out).models.csfnet!.readouts, undefined);
});

test('predict a cohort subject with Grad-CAM volumes in the patch geometry; bad patches exit 2 with one line', () => {
  const ckpt = join(work, 'whole.safetensors');
  const out = join(work, 'saliency');
  const r = csfnet(['predict', '--checkpoint', ckpt, '--cohort', cohort, '--subject', 'SYN0001', '--saliency', out, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { p_malignant: number; logits: number[]; saliency: string[] };
  assert.ok(j.p_malignant > 0 && j.p_malignant < 1);
  assert.equal(j.saliency.length, 2);
  const cam = readNifti(join(out, 'gradcam-T1.nii.gz'));
  assert.deepEqual([...cam.shape], [64, 64, 16]);
  const bad = join(work, 'bad.nii.gz');
  writeNifti(bad, { data: new Float32Array(8 * 8 * 8), shape: [8, 8, 8], spacing: [1, 1, 1], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] });
  const wrong = csfnet(['predict', '--checkpoint', ckpt, '--patches', bad, bad, '--clinical', 'race=1']);
  assert.equal(wrong.code, 2);
  assert.equal(wrong.stderr.trim().split('\n').length, 1, wrong.stderr);
  assert.match(wrong.stderr, /bad\.nii\.gz: patch is 8x8x8 voxels/);
  const unknown = csfnet(['predict', '--checkpoint', ckpt, '--cohort', cohort, '--subject', 'NOPE']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /subject NOPE is not in/);
});
