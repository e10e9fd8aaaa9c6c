import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCohort } from './load-cohort.js';
import { formatReport, reportCounts } from './validation-report.js';
import { InputError } from '../util/errors.js';

const root = mkdtempSync(join(tmpdir(), 'csfnet-load-cohort-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));

/** A cohort folder with the given CSV texts and empty image files / folders it names. */
function cohort(name: string, subjects: string, scans: string, images: string[] = []): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'subjects.csv'), subjects);
  writeFileSync(join(dir, 'scans.csv'), scans);
  for (const image of images) {
    mkdirSync(join(dir, image.endsWith('/') ? image : join(image, '..')), { recursive: true });
    if (!image.endsWith('/')) writeFileSync(join(dir, image), '');
  }
  return dir;
}

test('a valid cohort: typed subjects, scans in time order, clinical cells as text, every subject ok', () => {
  const dir = cohort(
    'valid',
    'subject_id,label,age,gender,race,cigsmok,site\n100012,1,63,1,1,1,A\n100013,,70,2,,0,B\n',
    'subject_id,timepoint,days,image,x,y,z,diameter_mm,nodule_type\n' +
      '100012,T1,371,100012/T1.nii.gz,-71.9,30.4,-138.8,9.4,solid\n' +
      '100012,T0,0,100012/T0/,-72.5,31.0,-140.2,7.1,\n' +
      '100013,T0,0,100013/T0.mha,1,2,3,,\n100013,T1,400,100013/T1.mhd,1,2,3,,part-solid\n',
    ['100012/T1.nii.gz', '100012/T0/', '100013/T0.mha', '100013/T1.mhd'],
  );
  const c = loadCohort(dir);
  assert.deepEqual(c.report.subjects.map((s) => [s.subjectId, s.ok, s.problems]), [
    ['100012', true, []],
    ['100013', true, []],
  ]);
  assert.deepEqual(c.clinicalColumns, ['age', 'gender', 'race', 'cigsmok', 'site']);
  const [a, b] = c.subjects;
  assert.equal(a!.label, 1);
  assert.equal(b!.label, null);
  assert.deepEqual(b!.clinical, { age: '70', gender: '2', race: '', cigsmok: '0', site: 'B' });
  assert.deepEqual(a!.scans.map((s) => [s.timepoint, s.days, s.centre, s.diameterMm, s.noduleType]), [
    ['T0', 0, [-72.5, 31, -140.2], 7.1, undefined],
    ['T1', 371, [-71.9, 30.4, -138.8], 9.4, 'solid'],
  ]);
  assert.equal(a!.scans[0]!.image, join(dir, '100012/T0'));
  assert.equal(reportCounts(c.report).allUsable, true);
});

test('one bad subject is reported with its problems and the others stay usable', () => {
  const dir = cohort(
    'mixed',
    'subject_id,label,age,gender\ngood,0,60,1\nbadcodes,2,sixty,3\ndup,1,50,1\ndup,0,51,2\nshort,1,55,1\nlate,0,50,2\n',
    'subject_id,timepoint,days,image,x,y,z\n' +
      'good,T0,0,good/a.nii,0,0,0\ngood,T1,30,good/b.nii,0,0,0\n' +
      'badcodes,T0,0,good/a.nii,0,0,0\nbadcodes,T1,10,../outside.nii,0,0,0\n' +
      'dup,T0,0,good/a.nii,0,0,0\ndup,T1,5,missing.nii,0,0,0\n' +
      'short,T0,0,good/a.nii,0,0,0\n' +
      'late,T0,3,good/a.nii,0,0,0\nlate,T1,3,good/b.txt,x,0,0\nlate,T1,2,good/b.txt,1,0,0\n' +
      'ghost,T0,0,good/a.nii,0,0,0\n',
    ['good/a.nii', 'good/b.nii', 'good/b.txt'],
  );
  const c = loadCohort(dir);
  const rules = Object.fromEntries(c.report.subjects.map((s) => [s.subjectId, s.problems.map((p) => p.rule).sort()]));
  assert.deepEqual(rules, {
    good: [],
    badcodes: ['path-outside-cohort', 'subject-row', 'subject-row', 'subject-row'],
    dup: ['duplicate-subject', 'image-missing'],
    short: ['too-few-timepoints'],
    late: ['baseline-days', 'days-order', 'scan-row', 'unsupported-format'],
  });
  assert.deepEqual(c.report.cohortProblems.map((p) => p.rule), ['unknown-subject']);
  assert.equal(reportCounts(c.report).usable, 1);
  const text = formatReport(c.report);
  assert.match(text, /ok {7}good/);
  assert.match(text, /\[too-few-timepoints\] has scans at T0; missing T1/);
  assert.match(text, /\[unknown-subject\] scans\.csv:12: subject_id "ghost" is not in subjects\.csv/);
  assert.match(text, /1 of 5 subjects usable, 1 cohort problem/);
});

test('an unreadable cohort is an InputError naming the file and the rule', () => {
  const cases: [string, () => string, string][] = [
    ['no folder', () => join(root, 'nope'), 'cohort-missing'],
    ['no scans.csv', () => {
      const d = cohort('noscans', 'subject_id\na\n', '');
      rmSync(join(d, 'scans.csv'));
      return d;
    }, 'cohort-file-missing'],
    ['missing column', () => cohort('nocol', 'subject_id\na\n', 'subject_id,timepoint,days,image,x,y\n'), 'cohort-columns'],
    ['bad csv', () => cohort('badcsv', 'subject_id\n"a\n', 'subject_id,timepoint,days,image,x,y,z\n'), 'csv-syntax'],
  ];
  for (const [label, make, rule] of cases) {
    const dir = make();
    assert.throws(() => loadCohort(dir), (e: unknown) => e instanceof InputError && e.rule === rule, label);
  }
});

test('requiredTimepoints: a T0-only subject is usable when one time point is enough', () => {
  const dir = cohort('single', 'subject_id\nsolo\n', 'subject_id,timepoint,days,image,x,y,z\nsolo,T0,0,a.nii,0,0,0\n', ['a.nii']);
  assert.equal(loadCohort(dir).report.subjects[0]!.ok, false);
  assert.equal(loadCohort(dir, { requiredTimepoints: 1 }).report.subjects[0]!.ok, true);
});
