import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotFoundError } from '../util/errors.js';
import { Registry } from './registry.js';

const tmp = (): string => join(mkdtempSync(join(tmpdir(), 'csfnet-reg-')), 'registry.db');

test('a run with its folds, epochs, predictions and metrics is stored and read back', () => {
  const reg = Registry.open(tmp());
  const id = reg.startRun({ kind: 'cv', config: { folds: 3, models: ['csfnet'] }, codeVersion: 'csf-net@test', seed: 7, cohort: '/data/c' });
  reg.addFold(id, { model: 'csfnet', fold: 0, bestEpoch: 4, nTrain: 10, nValidation: 3, nTest: 5, seconds: 1.5 });
  reg.addEpoch(id, { model: 'csfnet', fold: 0, epoch: 0, trainLoss: 0.7, valLoss: NaN, valAuc: 0.5, lr: 1e-4, seconds: 0.2 });
  reg.addPredictions(id, [
    { model: 'csfnet', fold: 0, subjectId: 'A', label: 1, score: 0.9 },
    { model: 'csfnet', fold: 0, subjectId: 'B', label: 0, score: 0.2 },
  ]);
  reg.addMetrics(id, [{ model: 'csfnet', scope: 'pooled', name: 'auc', value: 1, lo: 0.8, hi: 1 }]);
  reg.finishRun(id, { status: 'done', reportDir: '/tmp/report' });
  const run = reg.getRun(id);
  assert.equal(run.status, 'done');
  assert.deepEqual(run.config, { folds: 3, models: ['csfnet'] });
  assert.equal(run.reportDir, '/tmp/report');
  assert.equal(run.predictions, 2);
  assert.equal(run.epochs, 1);
  assert.equal(run.folds[0]!.bestEpoch, 4);
  assert.deepEqual(run.metrics, [{ model: 'csfnet', scope: 'pooled', name: 'auc', value: 1, lo: 0.8, hi: 1 }]);
  assert.equal(reg.epochs(id)[0]!.valLoss, null, 'NaN is stored as NULL');
  assert.deepEqual(reg.predictions(id).map((p) => p.subjectId), ['A', 'B']);
  assert.deepEqual(reg.listRuns().map((r) => r.id), [id]);
  assert.throws(() => reg.getRun(id + 1), NotFoundError);
  reg.close();
});

test('a run whose process died is marked crashed when the registry is next opened', () => {
  const path = tmp();
  const module = new URL('./registry.js', import.meta.url).href;
  const script = `import { Registry } from ${JSON.stringify(module)}; const r = Registry.open(${JSON.stringify(path)}); r.startRun({ kind: 'cv', config: {}, codeVersion: 'x', seed: 1 }); process.exit(0);`;
  execFileSync(process.execPath, ['--input-type=module', '-e', script]);
  const reg = Registry.open(path);
  const [run] = reg.listRuns();
  assert.equal(run?.status, 'crashed');
  assert.match(run?.error ?? '', /ended without finishing/);
  const mine = reg.startRun({ kind: 'cv', config: {}, codeVersion: 'x', seed: 1 });
  reg.close();
  const again = Registry.open(path);
  assert.equal(again.getRun(mine).status, 'running', 'a live process keeps its run running');
  again.close();
});
