import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from './parse-csv.js';
import { InputError } from '../util/errors.js';

test('parseCsv reads quoted fields with commas, doubled quotes and line breaks, CRLF, a BOM and blank lines', () => {
  const text = '\ufeffsubject_id,note,age\r\n100012,"smoker, heavy",63\r\n\r\n"1000""13","two\nlines", 70 \n';
  const t = parseCsv(text, 'subjects.csv');
  assert.deepEqual(t.header, ['subject_id', 'note', 'age']);
  assert.deepEqual(t.rows, [
    { subject_id: '100012', note: 'smoker, heavy', age: '63' },
    { subject_id: '1000"13', note: 'two\nlines', age: '70' },
  ]);
  assert.deepEqual(t.lines, [2, 4]);
});

test('parseCsv keeps blank cells as empty text and accepts a last line without newline', () => {
  const t = parseCsv('a,b,c\n1,,3\n,,', 'x.csv');
  assert.deepEqual(t.rows, [
    { a: '1', b: '', c: '3' },
    { a: '', b: '', c: '' },
  ]);
});

test('parseCsv errors name the file, the line and the rule', () => {
  const cases: [string, string, RegExp][] = [
    ['a,b\n1,2,3\n', 'csv-columns', /x\.csv:2: 3 fields, the header has 2/],
    ['a,b\n"1,2\n', 'csv-syntax', /x\.csv:2: a quoted field is never closed/],
    ['a,b\n"1"x,2\n', 'csv-syntax', /x\.csv:2: text after a closing quote/],
    ['a,a\n1,2\n', 'csv-header', /repeated "a"/],
    ['a,,b\n', 'csv-header', /empty column name/],
    ['', 'csv-header', /empty CSV file/],
  ];
  for (const [text, rule, message] of cases) {
    assert.throws(() => parseCsv(text, 'x.csv'), (e: unknown) => e instanceof InputError && e.rule === rule && e.file === 'x.csv' && message.test(e.message), rule);
  }
});
