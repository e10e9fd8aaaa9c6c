import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Runs the real command (bin/csfnet.js over the compiled tree) and checks stdout, stderr and the exit code.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = resolve(root, 'bin', 'csfnet.js');

function csfnet(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('risk brock --json prints the model, p, the inputs and what was assumed', () => {
  const r = csfnet('risk', 'brock', '--age', '62', '--sex', 'female', '--diameter-mm', '12', '--type', 'solid', '--upper-lobe', '--spiculation', '--count', '1', '--family-history', '--emphysema', '--json');
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as { model: string; p: number; inputs: Record<string, unknown>; assumed: unknown[] };
  assert.equal(j.model, 'brock-2b');
  // hand-computed in src/clinical/brock.test.ts: p = 0.420771
  assert.ok(Math.abs(j.p - 0.420771) < 1e-6);
  assert.deepEqual(j.inputs, { age: 62, sex: 'female', diameter_mm: 12, type: 'solid', upper_lobe: true, spiculation: true, count: 1, family_history: true, emphysema: true });
  assert.deepEqual(j.assumed, []);
});

test('risk brock without optional flags lists them as assumed; --no-<flag> states an absence', () => {
  const r = csfnet('risk', 'brock', '--age', '62', '--diameter-mm', '12', '--no-spiculation', '--json');
  const j = JSON.parse(r.out) as { assumed: Array<{ field: string }> };
  assert.deepEqual(j.assumed.map((a) => a.field).sort(), ['count', 'emphysema', 'family_history', 'sex', 'type', 'upper_lobe']);
  const text = csfnet('risk', 'brock', '--age', '62', '--diameter-mm', '12', '--model', '2a');
  assert.match(text.out, /^brock-2a: probability of malignancy \d+\.\d% \(p = 0\.\d{4}\)\nassumed: /);
});

test('risk vdt --json prints the doubling time and its reading', () => {
  const r = csfnet('risk', 'vdt', '--days', '365', '--volume0-mm3', '300', '--volume1-mm3', '600', '--json');
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(JSON.parse(r.out), { vdt_days: 365, interpretation: 'suspicious' });
  const d = csfnet('risk', 'vdt', '--days', '200', '--diameter0-mm', '8', '--diameter1-mm', '10', '--json');
  // 200 ln2 / (3 ln 1.25) = 207.0856 -> 207.1
  assert.deepEqual(JSON.parse(d.out), { vdt_days: 207.1, interpretation: 'suspicious' });
});

test('risk lung-rads, mayo and plco print their results', () => {
  const l = csfnet('risk', 'lung-rads', '--type', 'solid', '--diameter-mm', '7', '--prior-diameter-mm', '5', '--days', '365', '--json');
  assert.equal(l.code, 0, l.err);
  const lj = JSON.parse(l.out) as { category: string; rank: number; reason: string };
  assert.equal(lj.category, '4A');
  assert.equal(lj.rank, 4);
  assert.match(lj.reason, /growing solid nodule/);
  const m = csfnet('risk', 'mayo', '--age', '65', '--smoker', '--no-cancer-history', '--diameter-mm', '15', '--spiculation', '--upper-lobe', '--json');
  // hand-computed in src/clinical/mayo.test.ts: p = 0.560083
  assert.ok(Math.abs((JSON.parse(m.out) as { p: number }).p - 0.560083) < 1e-6);
  const p = csfnet('risk', 'plco', '--age', '62', '--race', 'white', '--education', '4', '--bmi', '27', '--smoking', 'current', '--cigarettes-per-day', '20', '--smoking-years', '27', '--years-since-quit', '0', '--no-cancer-history', '--no-family-history', '--no-copd');
  assert.equal(p.out, 'plcom2012: six-year lung-cancer risk 1.6% (p = 0.0156)\n');
});

test('risk: bad inputs exit with code 2 and one line naming the field', () => {
  const cases: Array<[string[], RegExp]> = [
    [['brock', '--age', '62', '--diameter-mm', '-3'], /diameter_mm must be greater than 0/],
    [['brock', '--age', '300', '--diameter-mm', '8'], /age must be between 18 and 110 years, got 300/],
    [['brock', '--age', '62', '--diameter-mm', '8', '--type', 'cystic'], /type must be one of solid, part-solid, ground-glass, got "cystic"/],
    [['lung-rads', '--type', 'cystic', '--diameter-mm', '8'], /type must be one of/],
    [['vdt', '--days', 'soon', '--volume0-mm3', '1', '--volume1-mm3', '2'], /days must be a number, got "soon"/],
    [['vdt', '--days', '10', '--volume0-mm3', '1'], /--volume1-mm3 is required/],
    [['mayo', '--age', '62'], /--diameter-mm is required/],
  ];
  for (const [args, message] of cases) {
    const r = csfnet('risk', ...args);
    assert.equal(r.code, 2, `${args.join(' ')}: exit code`);
    assert.equal(r.out, '');
    const lines = r.err.trimEnd().split('\n');
    assert.equal(lines.length, 1, `${args.join(' ')}: one line, got ${JSON.stringify(r.err)}`);
    assert.match(lines[0]!, message);
  }
});
