import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeness } from './testing.js';

test('closeness accepts equal values (infinities and NaN included) and finds the worst element', () => {
  const tol = { rtol: 1e-5, atol: 1e-6 };
  assert.equal(closeness([Infinity, -Infinity, NaN, 1], [Infinity, -Infinity, NaN, 1 + 1e-7], tol).ok, true);
  assert.equal(closeness([Infinity], [-Infinity], tol).ok, false);
  assert.equal(closeness([NaN], [0], tol).ok, false);
  const r = closeness([1, 2.1, 3.5], [1, 2, 3], tol);
  assert.equal(r.ok, false);
  assert.equal(r.at, 2);
});
