import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../backends/reference/index.js';
import { add, mul, noGrad, sum, Tensor } from './index.js';

test('ops record a node only when an input requires a gradient', () => {
  const a = Tensor.from([1, 2]);
  const b = Tensor.from([3, 4], [2], true);
  assert.equal(add(a, a).node, null);
  assert.equal(add(a, a).requiresGrad, false);
  const c = add(a, b);
  assert.equal(c.requiresGrad, true);
  assert.equal(c.node?.op, 'add');
  assert.equal(noGrad(() => add(a, b)).node, null);
});

test('a tensor used twice gets the sum of both paths; gradients accumulate across backward calls', () => {
  const x = Tensor.from([1, -2, 3], [3], true);
  sum(mul(x, x)).backward();
  assert.deepEqual(x.grad?.toArray(), [2, -4, 6]);
  sum(mul(x, 3)).backward();
  assert.deepEqual(x.grad?.toArray(), [5, -1, 9]);
});

test('backward frees the graph: a second pass through it is an error naming the op', () => {
  const x = Tensor.from([1, 2], [2], true);
  const y = sum(mul(x, x));
  y.backward();
  assert.throws(() => y.backward(), /already used/);
});

test('a non-scalar output needs an explicit gradient of its shape', () => {
  const x = Tensor.from([1, 2], [2], true);
  const y = mul(x, 2);
  assert.throws(() => y.backward(), /non-scalar/);
  y.backward(Tensor.from([1, 10]));
  assert.deepEqual(x.grad?.toArray(), [2, 20]);
});

test('gradients never alias: the leaf gradient is its own copy', () => {
  const x = Tensor.from([1, 2], [2], true);
  const g = Tensor.from([5, 5]);
  add(x, 0).backward(g);
  assert.deepEqual(x.grad?.toArray(), [5, 5]);
  g.f32()[0] = 99;
  assert.deepEqual(x.grad?.toArray(), [5, 5]);
});
