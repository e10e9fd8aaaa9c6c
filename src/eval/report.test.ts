import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, InputError } from '../util/errors.js';
import { delongTest } from './delong.js';
import { evaluateModels } from './evaluate-models.js';
import type { ModelPredictions } from './evaluate-models.js';
import type { Prediction } from './evaluation-result.js';
import { reportHtml } from './report-html.js';
import { reportMarkdown } from './report-markdown.js';
import { predictionsCsv, writeReport } from './write-report.js';

// The 8 hand-worked subjects of metrics.test.ts (positives 0.9 0.6 0.4 0.5; negatives 0.7 0.2 0.5 0.1):
// at 0.5, TP 2, FN 2, FP 1, TN 3; accuracy 0.625, precision 2/3, recall 0.5, specificity 0.75,
// F1 4/7, AUC 11.5/16 = 0.71875, Brier 0.19625, ECE 0.2625. Folds: first four subjects fold 1, rest fold 2.
const labels = [1, 1, 1, 0, 0, 0, 0, 1] as const;
const net = [0.9, 0.6, 0.4, 0.7, 0.2, 0.5, 0.1, 0.5];
const rule = [0.8, 0.7, 0.6, 0.3, 0.2, 0.4, 0.1, 0.3];
const rank = [5, 4, 3, 3, 2, 2, 1, 3];
const preds = (scores: readonly number[], skip: number[] = []): Prediction[] =>
  scores.flatMap((score, i) => (skip.includes(i) ? [] : [{ subjectId: `s${i + 1}`, fold: i < 4 ? 1 : 2, label: labels[i]!, score }]));

const models: ModelPredictions[] = [
  {
    name: 'CSF-Net',
    description: 'the network',
    predictions: preds(net),
    trainingCurves: [{ fold: 1, epochs: [{ epoch: 1, trainLoss: 0.7, valLoss: 0.68, valAuc: 0.6 }, { epoch: 2, trainLoss: 0.6, valLoss: 0.66, valAuc: 0.65 }] }],
  },
  { name: 'Brock | 2b', predictions: preds(rule, [7]), threshold: 0.1 },
  { name: 'Lung-RADS', predictions: preds(rank), threshold: 2 },
];
const options = { title: 'Test <cohort> & "folds"', referenceModel: 'CSF-Net', seed: 42, resamples: 200 };

function near(a: number, b: number): void {
  assert.ok(Math.abs(a - b) < 1e-12, `${a} is not ${b}`);
}

test('evaluateModels: pooled metrics, folds, intervals and DeLong against the reference', () => {
  const r = evaluateModels(models, options);
  const [ref, brock, radsModel] = r.models;
  assert.equal(ref!.vsReference, null);
  const p = ref!.pooled;
  assert.deepEqual([p.n, p.positives, p.tp, p.fn, p.fp, p.tn], [8, 4, 2, 2, 1, 3]);
  near(p.metrics.accuracy.value, 0.625);
  near(p.metrics.precision.value, 2 / 3);
  near(p.metrics.f1.value, 4 / 7);
  near(p.metrics.auc.value, 0.71875);
  near(p.metrics.brier.value, 0.19625);
  near(p.metrics.ece.value, 0.2625);
  assert.ok(p.metrics.auc.lower <= 0.71875 && 0.71875 <= p.metrics.auc.upper);
  // folds partition the pooled counts: fold 1 = s1..s4 (0.9 TP, 0.6 TP, 0.4 FN, 0.7 FP)
  assert.deepEqual(ref!.folds.map((f) => f.fold), [1, 2]);
  assert.deepEqual([ref!.folds[0]!.tp, ref!.folds[0]!.fn, ref!.folds[0]!.fp, ref!.folds[0]!.tn], [2, 1, 1, 0]);
  assert.equal(ref!.folds[0]!.n + ref!.folds[1]!.n, 8);
  // Brock skipped s8: DeLong on the 7 shared subjects, and a note says so
  assert.equal(brock!.vsReference!.subjects, 7);
  const d = delongTest(labels.slice(0, 7), rule.slice(0, 7), net.slice(0, 7));
  near(brock!.vsReference!.delong.p, d.p);
  near(brock!.vsReference!.delong.difference, d.difference);
  assert.equal(brock!.threshold, 0.1);
  assert.match(r.notes.join(' '), /Brock \| 2b scored 7 subjects, 7 of the 8/);
  // a rank is not a probability: Brier and ECE undefined
  assert.equal(radsModel!.scoreKind, 'score');
  assert.ok(Number.isNaN(radsModel!.pooled.metrics.brier.value));
  assert.equal(radsModel!.pooled.tp, 4, 'ranks 5 4 3 3 are above 2');
});

test('evaluateModels: seeded per model, so adding a model leaves the others unchanged', () => {
  const a = evaluateModels(models, options);
  const b = evaluateModels(models, options);
  assert.deepEqual(a, b);
  const fewer = evaluateModels([models[0]!, models[2]!], options);
  assert.deepEqual(fewer.models[1]!.pooled, a.models[2]!.pooled);
  const other = evaluateModels(models, { ...options, seed: 43 });
  assert.notDeepEqual(other.models[0]!.pooled.metrics.auc, a.models[0]!.pooled.metrics.auc);
});

test('evaluateModels: inconsistent input is refused with a clear error', () => {
  assert.throws(() => evaluateModels([models[0]!, models[0]!], options), (e: unknown) => e instanceof ConfigError && /appears twice/.test(e.message));
  assert.throws(() => evaluateModels(models, { ...options, referenceModel: 'nope' }), (e: unknown) => e instanceof ConfigError && /reference model "nope"/.test(e.message));
  const twice = { name: 'x', predictions: [...preds(net), preds(net)[0]!] };
  assert.throws(() => evaluateModels([models[0]!, twice], options), (e: unknown) => e instanceof InputError && /predicts subject s1 twice/.test(e.message));
  const flipped = { name: 'y', predictions: preds(net).map((q) => (q.subjectId === 's2' ? { ...q, label: 0 as const } : q)) };
  assert.throws(() => evaluateModels([models[0]!, flipped], options), (e: unknown) => e instanceof InputError && /subject s2 has label 0 for y but 1 for CSF-Net/.test(e.message));
});

test('writeReport: report.md, a self-contained report.html, SVGs, predictions.csv and evaluation.json, written atomically', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'csfnet-report-'));
  try {
    const r = evaluateModels(models, options);
    const written = await writeReport(r, join(dir, 'out'));
    const names = readdirSync(join(dir, 'out')).sort();
    assert.deepEqual(names, ['calibration.svg', 'confusion.svg', 'evaluation.json', 'predictions.csv', 'report.html', 'report.md', 'roc.svg', 'training-1.svg']);
    assert.equal(written.length, names.length);

    const md = readFileSync(join(dir, 'out', 'report.md'), 'utf8');
    assert.ok(md.includes('| model | n (malignant) | Acc | Prec | F1 | AUC | Rec | Spec | Brier | ECE | ΔAUC vs CSF-Net |'));
    assert.match(md, /\| CSF-Net \| 8 \(4\) \| 0\.6250 \(\d\.\d{3}–\d\.\d{3}\) \| 0\.6667 /);
    assert.ok(md.includes('| Brock \\| 2b | 7 (3) |'), 'a pipe in a model name is escaped');
    assert.ok(md.includes('![ROC curves of the pooled out-of-fold predictions](roc.svg)'));
    assert.match(md, /\| Lung-RADS \| .* \| n\/a \| n\/a \| [+-]\d\.\d{4}, p = \d\.\d{4} \|/);

    const html = readFileSync(join(dir, 'out', 'report.html'), 'utf8');
    assert.ok(html.startsWith('<!DOCTYPE html>'));
    assert.ok(html.includes('<title>Test &lt;cohort&gt; &amp; &quot;folds&quot;</title>'), 'text is escaped');
    assert.equal((html.match(/<svg /g) ?? []).length, 4, 'every figure inline');
    assert.doesNotMatch(html, /<script|<link|<img|@import|src=/);
    assert.doesNotMatch(html.replace(/xmlns(:xlink)?="[^"]*"/g, ''), /https?:\/\//);
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);
    assert.equal(new Set(ids).size, ids.length, 'no id appears twice on the page');

    const json = JSON.parse(readFileSync(join(dir, 'out', 'evaluation.json'), 'utf8')) as { models: Array<{ pooled: { metrics: { brier: { value: unknown } } } }> };
    assert.equal(json.models[2]!.pooled.metrics.brier.value, null, 'NaN becomes null');
    const csv = readFileSync(join(dir, 'out', 'predictions.csv'), 'utf8').split('\n');
    assert.equal(csv[0], 'model,subject_id,fold,label,score');
    assert.equal(csv[1], 'CSF-Net,s1,1,1,0.9');
    assert.equal(csv.length, 1 + 8 + 7 + 8 + 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('predictionsCsv quotes fields that need it', () => {
  const r = evaluateModels([{ name: 'a,"b"', predictions: [{ subjectId: 'x,1', fold: 1, label: 1, score: 0.5 }] }], { ...options, referenceModel: 'a,"b"', resamples: 10 });
  assert.equal(predictionsCsv(r), 'model,subject_id,fold,label,score\n"a,""b""","x,1",1,1,0.5\n');
});

test('readouts of a supervised network reach the evaluation and both reports; a model without them adds no section', () => {
  const readouts = net.map((score, i) => ({ quantity: 'growth' as const, subjectId: `s${i + 1}`, fold: i < 4 ? 1 : 2, label: labels[i]!, value: score, target: rule[i]! }));
  const withReadouts = evaluateModels([{ ...models[0]!, readouts }, models[1]!], options);
  const agreement = withReadouts.models[0]!.readouts!;
  assert.equal(agreement.length, 1);
  assert.equal(agreement[0]!.n, 8);
  near(agreement[0]!.aucReadout, 0.71875);
  assert.equal(withReadouts.models[1]!.readouts, undefined);
  const md = reportMarkdown(withReadouts, []);
  assert.ok(md.includes('## What the networks measured'));
  assert.match(md, /\| CSF-Net \| growth, ln\(d_T1 \/ d_T0\) \| 8 \| 0\.\d{3} \(-?0\.\d{3}–0\.\d{3}\) \| 0\.719 \| \d\.\d{3} \|/);
  assert.ok(reportHtml(withReadouts, []).includes('<h2>What the networks measured</h2>'));

  const without = evaluateModels(models, options);
  assert.ok(!reportMarkdown(without, []).includes('What the networks measured'));
  assert.ok(!reportHtml(without, []).includes('What the networks measured'));
});
