import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from './random.js';

test('same seed gives the same stream; other seeds and forks differ', () => {
  const a = new Rng(42);
  const b = new Rng(42);
  const xs = Array.from({ length: 5 }, () => a.nextUint32());
  assert.deepEqual(xs, Array.from({ length: 5 }, () => b.nextUint32()));
  const c = new Rng(43);
  assert.notDeepEqual(xs, Array.from({ length: 5 }, () => c.nextUint32()));
  const f1 = new Rng(42).fork('dropout').uniform();
  const f2 = new Rng(42).fork('shuffle').uniform();
  assert.notEqual(f1, f2);
  assert.equal(f1, new Rng(42).fork('dropout').uniform());
});

test('uniform and normal have the right moments', () => {
  const rng = new Rng(7);
  const n = 200_000;
  let su = 0;
  let sn = 0;
  let sn2 = 0;
  for (let i = 0; i < n; i++) {
    const u = rng.uniform();
    assert.ok(u >= 0 && u < 1);
    su += u;
    const z = rng.normal();
    sn += z;
    sn2 += z * z;
  }
  assert.ok(Math.abs(su / n - 0.5) < 0.005, `uniform mean ${su / n}`);
  assert.ok(Math.abs(sn / n) < 0.01, `normal mean ${sn / n}`);
  assert.ok(Math.abs(sn2 / n - 1) < 0.02, `normal variance ${sn2 / n}`);
});

test('int is in range and covers every value; shuffle is a permutation', () => {
  const rng = new Rng(1);
  const counts = new Array<number>(6).fill(0);
  for (let i = 0; i < 6000; i++) counts[rng.int(6)]! += 1;
  for (const c of counts) assert.ok(c > 850 && c < 1150, `counts ${counts.join(',')}`);
  const items = Array.from({ length: 50 }, (_, i) => i);
  const shuffled = rng.shuffle([...items]);
  assert.notDeepEqual(shuffled, items);
  assert.deepEqual([...shuffled].sort((x, y) => x - y), items);
  assert.throws(() => rng.int(0), /Rng.int/);
});
