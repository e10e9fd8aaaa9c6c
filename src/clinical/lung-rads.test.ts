import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../util/errors.js';
import { lungRads } from './lung-rads.js';
import type { LungRadsCategory, LungRadsInputs } from './lung-rads.js';

// Each case lists the Lung-RADS v2022 threshold it sits on (../shared/docs/clinical-models.md).
function expectCategory(input: LungRadsInputs, expected: LungRadsCategory, why: string): void {
  const r = lungRads(input);
  assert.equal(r.category, expected, `${why}: got ${r.category} (${r.reason})`);
}

test('lung-rads: solid nodule at baseline, every size boundary on both sides', () => {
  expectCategory({ type: 'solid', diameterMm: 5.9 }, '2', '< 6 mm');
  expectCategory({ type: 'solid', diameterMm: 6.0 }, '3', '6 mm is 3');
  expectCategory({ type: 'solid', diameterMm: 7.9 }, '3', '< 8 mm');
  expectCategory({ type: 'solid', diameterMm: 8.0 }, '4A', '8 mm is 4A');
  expectCategory({ type: 'solid', diameterMm: 14.9 }, '4A', '< 15 mm');
  expectCategory({ type: 'solid', diameterMm: 15.0 }, '4B', '15 mm is 4B');
});

test('lung-rads: new solid nodule, every size boundary on both sides', () => {
  const prior = { kind: 'new' } as const;
  expectCategory({ type: 'solid', diameterMm: 3.9, prior }, '2', 'new < 4 mm');
  expectCategory({ type: 'solid', diameterMm: 4.0, prior }, '3', 'new 4 mm');
  expectCategory({ type: 'solid', diameterMm: 5.9, prior }, '3', 'new < 6 mm');
  expectCategory({ type: 'solid', diameterMm: 6.0, prior }, '4A', 'new 6 mm');
  expectCategory({ type: 'solid', diameterMm: 7.9, prior }, '4A', 'new < 8 mm');
  expectCategory({ type: 'solid', diameterMm: 8.0, prior }, '4B', 'new 8 mm');
});

test('lung-rads: growing solid nodule, the 1.5 mm growth boundary and the 8 mm boundary', () => {
  const seen = (d0: number) => ({ kind: 'seen', days: 365, diameterMm: d0 }) as const;
  // 5.0 -> 6.6: +1.6 mm > 1.5 -> growing, < 8 mm -> 4A
  expectCategory({ type: 'solid', diameterMm: 6.6, prior: seen(5.0) }, '4A', 'growing < 8 mm');
  // 5.0 -> 6.5: +1.5 mm is not growth, but 2 (5 mm) -> 3 (6.5 mm) crosses a size threshold -> 3
  expectCategory({ type: 'solid', diameterMm: 6.5, prior: seen(5.0) }, '3', '+1.5 mm is not growth; threshold crossed');
  // 6.0 -> 7.9: +1.9 mm, < 8 mm -> 4A;  6.4 -> 8.0: +1.6 mm, >= 8 mm -> 4B
  expectCategory({ type: 'solid', diameterMm: 7.9, prior: seen(6.0) }, '4A', 'growing, 7.9 mm');
  expectCategory({ type: 'solid', diameterMm: 8.0, prior: seen(6.4) }, '4B', 'growing, 8 mm');
  // 6.4 -> 7.9: +1.5 mm, same category 3 -> not growing, stable a year -> steps down to 2
  expectCategory({ type: 'solid', diameterMm: 7.9, prior: seen(6.4) }, '2', '+1.5 mm is stable; 3 steps down after >= 6 months');
});

test('lung-rads: stepped management of stable nodules at the 3- and 6-month boundaries', () => {
  const seen = (d0: number, days: number) => ({ kind: 'seen', days, diameterMm: d0 }) as const;
  expectCategory({ type: 'solid', diameterMm: 10, prior: seen(10, 89) }, '4A', '4A stable 89 days');
  expectCategory({ type: 'solid', diameterMm: 10, prior: seen(10, 90) }, '3', '4A stable 90 days');
  expectCategory({ type: 'solid', diameterMm: 7, prior: seen(7, 179) }, '3', '3 stable 179 days');
  expectCategory({ type: 'solid', diameterMm: 7, prior: seen(7, 180) }, '2', '3 stable 180 days');
  expectCategory({ type: 'solid', diameterMm: 20, prior: seen(20, 365) }, '4B', '4B is not stepped down');
  expectCategory({ type: 'solid', diameterMm: 5, prior: seen(20, 365) }, '2', 'a shrunken nodule is at most its current size category');
  const r = lungRads({ type: 'solid', diameterMm: 10, prior: seen(10, 400) });
  assert.match(r.reason, /steps down/);
});

test('lung-rads: part-solid nodules, every boundary on both sides', () => {
  expectCategory({ type: 'part-solid', diameterMm: 5.9, solidMm: 3 }, '2', 'baseline total < 6 mm');
  expectCategory({ type: 'part-solid', diameterMm: 6.0, solidMm: 5.9 }, '3', 'baseline >= 6 mm total, solid < 6');
  expectCategory({ type: 'part-solid', diameterMm: 10, solidMm: 6.0 }, '4A', 'solid 6 mm');
  expectCategory({ type: 'part-solid', diameterMm: 10, solidMm: 7.9 }, '4A', 'solid < 8 mm');
  expectCategory({ type: 'part-solid', diameterMm: 10, solidMm: 8.0 }, '4B', 'solid 8 mm');
  const isNew = { kind: 'new' } as const;
  expectCategory({ type: 'part-solid', diameterMm: 5.9, solidMm: 2, prior: isNew }, '3', 'new total < 6 mm is 3');
  expectCategory({ type: 'part-solid', diameterMm: 6.0, solidMm: 3.9, prior: isNew }, '4A', 'new solid component < 4 mm');
  expectCategory({ type: 'part-solid', diameterMm: 6.0, solidMm: 4.0, prior: isNew }, '4B', 'new solid component 4 mm');
  const seen = (solid0: number) => ({ kind: 'seen', days: 365, diameterMm: 10, solidMm: solid0 }) as const;
  // solid component 2.0 -> 3.6: +1.6 growing, < 4 mm -> 4A; 2.5 -> 4.1: +1.6, >= 4 mm -> 4B
  expectCategory({ type: 'part-solid', diameterMm: 10, solidMm: 3.6, prior: seen(2.0) }, '4A', 'growing solid < 4 mm');
  expectCategory({ type: 'part-solid', diameterMm: 10, solidMm: 4.1, prior: seen(2.5) }, '4B', 'growing solid >= 4 mm');
  // 2.0 -> 3.5: +1.5 is not growth; category 3 stable a year -> 2
  expectCategory({ type: 'part-solid', diameterMm: 10, solidMm: 3.5, prior: seen(2.0) }, '2', 'solid +1.5 mm is stable');
  // a ground-glass nodule that grew a solid component: new solid component
  expectCategory({ type: 'part-solid', diameterMm: 10, solidMm: 4.5, prior: { kind: 'seen', days: 365, diameterMm: 10, type: 'ground-glass' } }, '4B', 'new solid component in a former ground-glass nodule');
});

test('lung-rads: ground-glass nodules at 30 mm on both sides', () => {
  expectCategory({ type: 'ground-glass', diameterMm: 29.9 }, '2', 'baseline < 30 mm');
  expectCategory({ type: 'ground-glass', diameterMm: 30.0 }, '3', 'baseline 30 mm');
  expectCategory({ type: 'ground-glass', diameterMm: 29.9, prior: { kind: 'new' } }, '2', 'new < 30 mm');
  expectCategory({ type: 'ground-glass', diameterMm: 30.0, prior: { kind: 'new' } }, '3', 'new 30 mm');
  expectCategory({ type: 'ground-glass', diameterMm: 33, prior: { kind: 'seen', days: 365, diameterMm: 31 } }, '2', '>= 30 mm, slowly growing');
  expectCategory({ type: 'ground-glass', diameterMm: 31, prior: { kind: 'seen', days: 365, diameterMm: 28 } }, '3', 'reached 30 mm');
  expectCategory({ type: 'ground-glass', diameterMm: 12, prior: { kind: 'seen', days: 365, diameterMm: 6 } }, '2', 'growing < 30 mm stays 2');
});

test('lung-rads: calcified nodules are 1; diameters are rounded to one decimal first', () => {
  expectCategory({ type: 'calcified', diameterMm: 20 }, '1', 'benign calcification');
  expectCategory({ type: 'solid', diameterMm: 5.94 }, '2', '5.94 reports as 5.9');
  expectCategory({ type: 'solid', diameterMm: 5.96 }, '3', '5.96 reports as 6.0');
});

test('lung-rads: the reason names the rule; rank orders the categories', () => {
  const r = lungRads({ type: 'solid', diameterMm: 9 });
  assert.equal(r.reason, 'baseline solid nodule 9.0 mm: 8 to < 15 mm -> 4A');
  assert.equal(r.rank, 4);
  assert.equal(lungRads({ type: 'solid', diameterMm: 16 }).rank, 5);
  assert.equal(lungRads({ type: 'calcified', diameterMm: 16 }).rank, 1);
});

test('lung-rads: missing type or solid component is assumed and listed', () => {
  const r = lungRads({ diameterMm: 7 });
  assert.deepEqual(r.assumed.map((a) => a.field), ['type']);
  assert.equal(r.category, '3');
  const p = lungRads({ type: 'part-solid', diameterMm: 9 });
  assert.deepEqual(p.assumed.map((a) => a.field), ['solid_mm']);
  assert.equal(p.category, '3');
  const g = lungRads({ type: 'part-solid', diameterMm: 9, solidMm: 5, prior: { kind: 'seen', days: 365, diameterMm: 9 } });
  assert.deepEqual(g.assumed.map((a) => a.field), ['prior_solid_mm']);
  assert.equal(g.category, '2', 'assumed unchanged solid component: stable 3 -> 2');
});

test('lung-rads: bad inputs are InputErrors naming the field', () => {
  const cases: Array<[LungRadsInputs, RegExp]> = [
    [{ type: 'solid', diameterMm: -4 }, /^lung-rads: diameter_mm must be greater than 0/],
    [{ type: 'blob' as 'solid', diameterMm: 4 }, /^lung-rads: type must be one of solid, part-solid, ground-glass, calcified, got "blob"$/],
    [{ type: 'part-solid', diameterMm: 6, solidMm: 7 }, /solid_mm \(7.0 mm\) cannot exceed the total diameter \(6.0 mm\)/],
    [{ type: 'solid', diameterMm: 6, prior: { kind: 'seen', days: 0, diameterMm: 5 } }, /^lung-rads: days must be greater than 0/],
  ];
  for (const [input, message] of cases) {
    assert.throws(() => lungRads(input), (e: unknown) => e instanceof InputError && message.test(e.message));
  }
});
