import { test } from 'node:test';
import assert from 'node:assert/strict';
import { carriesReadouts, readTrainingMetadata, trainingMetadataString } from './training-metadata.js';

const record = { epochs: 20, best_epoch: 14, val_auc: 0.81, seed: 0, code: 'csf-net@0.1.0', size_weight: 3, growth_weight: 0, clinical_dropout: 0, clinical_warmup: 3 };

test('the training record round-trips, and says whether the checkpoint carries readouts', () => {
  const read = readTrainingMetadata({ training: trainingMetadataString(record) });
  assert.deepEqual(read, record);
  assert.equal(carriesReadouts(read), true);
  assert.equal(carriesReadouts({ ...record, size_weight: 0 }), false);
});

test('an older record without the weights reads as trained on the label alone; a missing or unreadable one as null', () => {
  const { size_weight: _s, growth_weight: _g, clinical_dropout: _d, clinical_warmup: _w, ...old } = record;
  const read = readTrainingMetadata({ training: JSON.stringify(old) });
  assert.equal(read?.size_weight, 0);
  assert.equal(read?.clinical_warmup, 0);
  assert.equal(carriesReadouts(read), false);
  assert.equal(readTrainingMetadata({}), null);
  assert.equal(readTrainingMetadata({ training: '{not json' }), null);
  assert.equal(readTrainingMetadata({ training: JSON.stringify({ ...record, size_weight: -1 }) }), null);
  assert.equal(carriesReadouts(null), false);
});
