import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBackend } from '../backends/index.js';
import { CsfNet } from '../model/index.js';
import type { CsfNetConfig, Trace } from '../model/index.js';
import { noGrad } from '../tensor/index.js';
import { makeBatch } from './batch.js';
import type { ReadoutPrediction } from '../eval/readout-agreement.js';
import { readoutCollector } from './measure-readouts.js';
import { predictSubjects } from './predict.js';
import type { SubjectSample } from './sample.js';
import { growthReadout, sizeReadout, sizeTarget } from './size-supervision.js';
import { toySubjects, withDiameters } from './testing.js';

useBackend('auto');

/** The readouts collected from one evaluation pass of predictSubjects. */
function measureReadouts(model: CsfNet, samples: readonly SubjectSample[], fold: number, batchSize = 4): ReadoutPrediction[] {
  const { onTrace, rows } = readoutCollector(model, fold);
  predictSubjects(model, samples, batchSize, onTrace);
  return rows;
}
const tiny = (model: CsfNetConfig['model']): CsfNetConfig => ({ model, variant: 'custom', stages: [[4], [8]], categories: [2, 2], attnDropout: 0.2, normalization: 'zscore', pooling: 'centre' });

test('measured readouts are the evaluation-mode readouts of each subject, beside its annotated size and growth', () => {
  const subjects = withDiameters(toySubjects(5, 2));
  // The third subject has no diameter at T0: it has a T1 size but no T0 size and no growth.
  subjects[2] = { ...subjects[2]!, record: { subjectId: subjects[2]!.id, t0: {}, t1: subjects[2]!.record!.t1 } };
  const model = new CsfNet(tiny('csfnet'), 3);
  model.train();
  const rows = measureReadouts(model, subjects, 4, 2);
  assert.equal(model.training, true, 'the model is handed back in the mode it came in');

  model.eval();
  const batch = makeBatch(subjects, { needT0: true, needT1: true });
  const trace: Trace = {};
  noGrad(() => model.forward(batch.x0, batch.x1, batch.clin, { trace }));
  const expect = { 'size-t0': sizeReadout(trace.enc_t0!).toArray(), 'size-t1': sizeReadout(trace.enc_t1!).toArray(), growth: growthReadout(trace.fused!, 'centre').toArray() };
  const by = (q: keyof typeof expect): typeof rows => rows.filter((r) => r.quantity === q);
  assert.deepEqual(by('size-t0').map((r) => r.subjectId), ['S000', 'S001', 'S003', 'S004']);
  assert.equal(by('size-t1').length, 5);
  assert.equal(by('growth').length, 4);
  for (const r of rows) {
    const i = subjects.findIndex((s) => s.id === r.subjectId);
    const s: SubjectSample = subjects[i]!;
    assert.ok(Math.abs(r.value - expect[r.quantity][i]!) < 1e-4 * (1 + Math.abs(r.value)), `${r.quantity} of ${r.subjectId}`);
    const d0 = s.record!.t0.diameterMm;
    const d1 = s.record!.t1.diameterMm!;
    const want = r.quantity === 'size-t0' ? sizeTarget(d0!) : r.quantity === 'size-t1' ? sizeTarget(d1) : Math.log(d1 / d0!);
    assert.ok(Math.abs(r.target - want) < 1e-6);
    assert.equal(r.fold, 4);
    assert.equal(r.label, s.label);
  }
});

test('single-t1 measures size at T1 only, concat-fusion has no growth readout, clinical-only none at all', () => {
  const subjects = withDiameters(toySubjects(3, 1));
  const quantities = (model: CsfNetConfig['model']): string[] => [...new Set(measureReadouts(new CsfNet(tiny(model), 1), subjects, 0).map((r) => r.quantity))];
  assert.deepEqual(quantities('single-t1'), ['size-t1']);
  assert.deepEqual(quantities('concat-fusion'), ['size-t0', 'size-t1']);
  assert.deepEqual(quantities('clinical-only'), []);
});
