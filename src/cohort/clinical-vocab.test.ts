import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildClinicalVocab, encodeClinical } from './clinical-vocab.js';
import { InputError } from '../util/errors.js';

const subjects = [
  { clinical: { gender: '2', race: '1', age: '63', cigsmok: '1' } },
  { clinical: { gender: '1', race: '', age: '58', cigsmok: '0' } },
  { clinical: { gender: '2', race: '3', age: '7', cigsmok: ' 1 ' } },
  { clinical: { gender: '1', age: '63', cigsmok: '0' } },
];

test('buildClinicalVocab: per column the sorted distinct raw values as text, blank as its own "" category', () => {
  const vocab = buildClinicalVocab(subjects, ['race', 'gender', 'age', 'cigsmok']);
  assert.deepEqual(vocab, {
    race: ['', '1', '3'],
    gender: ['1', '2'],
    age: ['58', '63', '7'],
    cigsmok: ['0', '1'],
  });
});

test('encodeClinical gives the index of each value in its column vocabulary, in the order of columns', () => {
  const columns = ['race', 'gender', 'age', 'cigsmok'];
  const vocab = buildClinicalVocab(subjects, columns);
  assert.deepEqual(Array.from(encodeClinical(subjects[0]!.clinical, columns, vocab)), [1, 1, 1, 1]);
  assert.deepEqual(Array.from(encodeClinical(subjects[1]!.clinical, columns, vocab)), [0, 0, 0, 0]);
  assert.deepEqual(Array.from(encodeClinical({ race: '3', gender: 2, age: 7, cigsmok: '0' }, columns, vocab)), [2, 1, 2, 0]);
  // index i of column c means vocab[c][i]
  const codes = encodeClinical(subjects[2]!.clinical, columns, vocab);
  assert.deepEqual(columns.map((c, n) => vocab[c]![codes[n]!]), ['3', '2', '7', '1']);
});

test('encodeClinical refuses unknown values (listing the accepted ones) and missing columns', () => {
  const vocab = buildClinicalVocab(subjects, ['race', 'gender']);
  assert.throws(
    () => encodeClinical({ race: '5', gender: '1' }, ['race', 'gender'], vocab),
    (e: unknown) => e instanceof InputError && e.rule === 'clinical-value-unknown' && e.message.includes('race = "5"') && e.message.includes('accepted: "", "1", "3"'),
  );
  assert.throws(() => encodeClinical({ race: '1' }, ['race', 'gender'], vocab), (e: unknown) => e instanceof InputError && e.rule === 'clinical-column-missing' && e.message.includes('"gender"'));
  assert.throws(() => encodeClinical({ race: '1', famhist: '1' }, ['race', 'famhist'], vocab), (e: unknown) => e instanceof InputError && e.rule === 'clinical-column-missing');
});
