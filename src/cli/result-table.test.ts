import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateModels } from '../eval/evaluate-models.js';
import type { ModelPredictions } from '../eval/evaluate-models.js';
import { resultJson, resultTable } from './result-table.js';

const labels = [1, 0, 1, 0, 1, 0] as const;
const scores = [0.9, 0.2, 0.6, 0.7, 0.8, 0.1];
const net: ModelPredictions = { name: 'csfnet', predictions: scores.map((score, i) => ({ subjectId: `s${i}`, fold: 1 + (i % 2), label: labels[i]!, score })) };
const readouts = scores.map((score, i) => ({ quantity: 'size-t1' as const, subjectId: `s${i}`, fold: 1 + (i % 2), label: labels[i]!, value: score, target: 2 * score + 1 }));
const options = { title: 't', referenceModel: 'csfnet', seed: 1, resamples: 50 };

test('the terminal table and the JSON carry the readouts of a supervised network, and nothing of them otherwise', () => {
  const supervised = evaluateModels([{ ...net, readouts }], options);
  const text = resultTable(supervised);
  assert.match(text, /^model\s+n\s+Acc/);
  assert.match(text, /What the networks measured[^\n]*\nmodel\s+quantity\s+n\s+r with annotation[\s\S]*csfnet\s+size at T1, ln\(d \/ 2 mm\)\s+6\s+1\.000 /);
  const json = resultJson(supervised) as { models: { csfnet: { readouts: { 'size-t1': { n: number; pearson: { value: number } } } } } };
  assert.equal(json.models.csfnet.readouts['size-t1'].n, 6);
  assert.ok(Math.abs(json.models.csfnet.readouts['size-t1'].pearson.value - 1) < 1e-12);

  const plain = evaluateModels([net], options);
  assert.doesNotMatch(resultTable(plain), /measured/);
  assert.equal('readouts' in (resultJson(plain) as { models: { csfnet: object } }).models.csfnet, false);
});
