import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../backends/reference/index.js';
import { Tensor } from '../../tensor/index.js';
import { expectClose } from '../../tensor/testing.js';
import { sharedPath } from '../../util/testing-paths.js';
import { Parameter } from '../module.js';
import { readSafetensorsFile } from '../safetensors.js';
import { Adam } from './adam.js';
import { clipGradNorm } from './clip.js';
import { cosineSchedule, stepSchedule } from './schedule.js';
import { SGD } from './sgd.js';

const param = (values: number[]): Parameter => new Parameter(Tensor.from(values));

test('Adam reproduces torch.optim.Adam on every parameter of the parity fixture (1e-5 relative)', () => {
  const weights = readSafetensorsFile(sharedPath('reference/fixtures/tiny/weights.safetensors')).tensors;
  const train = readSafetensorsFile(sharedPath('reference/fixtures/tiny/train.safetensors')).tensors;
  const names = [...train.keys()].filter((k) => k.startsWith('grad.')).map((k) => k.slice(5));
  assert.ok(names.length > 100, `fixture has ${names.length} gradients`);
  const params = names.map((n) => new Parameter(weights.get(n)!.clone()));
  params.forEach((p, i) => {
    p.grad = train.get(`grad.${names[i]}`)!.clone();
  });
  new Adam(params, { lr: 1e-3 }).step();
  params.forEach((p, i) => expectClose(p, train.get(`adam.${names[i]}`)!, { rtol: 1e-5, atol: 1e-7 }, names[i]));
});

test('Adam matches the update worked by hand for two steps', () => {
  // lr 0.1, betas (0.9, 0.999), eps 1e-8, g = 2 then -1 on p = 1.
  // step 1: m = 0.2, v = 0.004, mhat = 2, vhat = 4 -> p = 1 - 0.1 * 2 / (2 + 1e-8) = 0.9
  // step 2: m = 0.18 - 0.1 = 0.08, v = 0.003996 + 0.001 = 0.004996,
  //   mhat = 0.08 / 0.19 = 0.42105263, vhat = 0.004996 / 0.001999 = 2.49924962 (sqrt 1.58090152)
  //   -> p = 0.9 - 0.1 * 0.42105263 / 1.58090153 = 0.87336605
  const p = param([1]);
  const opt = new Adam([p], { lr: 0.1 });
  p.grad = Tensor.from([2]);
  opt.step();
  expectClose(p, [0.9], { rtol: 1e-6 });
  p.grad = Tensor.from([-1]);
  opt.step();
  expectClose(p, [0.87336605], { rtol: 1e-6 });
});

test('AdamW decays the weights directly; Adam adds decay to the gradient', () => {
  // AdamW: p = 1*(1 - 0.1*0.5) = 0.95, then - 0.1 * 1 (first step is lr*sign) = 0.85.
  const w = param([1]);
  w.grad = Tensor.from([3]);
  new Adam([w], { lr: 0.1, weightDecay: 0.5, decoupled: true }).step();
  expectClose(w, [0.85], { rtol: 1e-6 });
  // Adam: g = -3 + 0.5 * 1 = -2.5, first step moves by lr against the sign: p = 1 + 0.1 = 1.1.
  const a = param([1]);
  a.grad = Tensor.from([-3]);
  new Adam([a], { lr: 0.1, weightDecay: 0.5 }).step();
  expectClose(a, [1.1], { rtol: 1e-6 });
});

test('SGD with momentum and weight decay follows torch.optim.SGD', () => {
  // p = 1, g = 1, wd 0.1, momentum 0.9, lr 0.5: d = 1.1, buf = 1.1, p = 0.45;
  // next g = 1: d = 1 + 0.045 = 1.045, buf = 0.99 + 1.045 = 2.035, p = 0.45 - 1.0175 = -0.5675
  const p = param([1]);
  const opt = new SGD([p], { lr: 0.5, momentum: 0.9, weightDecay: 0.1 });
  p.grad = Tensor.from([1]);
  opt.step();
  expectClose(p, [0.45], { rtol: 1e-6 });
  p.grad = Tensor.from([1]);
  opt.step();
  expectClose(p, [-0.5675], { rtol: 1e-6 });
  const restored = new SGD([param([0])], { lr: 0.5, momentum: 0.9 });
  restored.loadState(opt.state());
  assert.equal(restored.steps, 2);
});

test('optimizer state round-trips: a restored Adam continues exactly', () => {
  const a = param([1, 2]);
  const b = param([1, 2]);
  const oa = new Adam([a], { lr: 0.01 });
  a.grad = Tensor.from([0.3, -0.2]);
  oa.step();
  b.f32().set(a.f32());
  const ob = new Adam([b], { lr: 0.01 });
  ob.loadState(oa.state());
  a.grad = Tensor.from([0.1, 0.5]);
  b.grad = Tensor.from([0.1, 0.5]);
  oa.step();
  ob.step();
  assert.deepEqual(b.toArray(), a.toArray());
});

test('cosine and step schedules match PyTorch closed forms', () => {
  const cos = cosineSchedule(0.1, 10, 0.001);
  expectClose([cos.lrAt(0), cos.lrAt(5), cos.lrAt(10)], [0.1, 0.0505, 0.001], { rtol: 1e-12 });
  const step = stepSchedule(1, 3, 0.5);
  assert.deepEqual([0, 2, 3, 6, 7].map((e) => step.lrAt(e)), [1, 1, 0.5, 0.25, 0.25]);
});

test('gradient clipping scales to the max norm and reports the norm before', () => {
  const a = param([0, 0]);
  const b = param([0]);
  a.grad = Tensor.from([3, 0]);
  b.grad = Tensor.from([4]);
  assert.equal(clipGradNorm([a, b], 1), 5);
  expectClose([...a.grad.f32(), ...b.grad.f32()], [0.6, 0, 0.8], { rtol: 1e-5 });
  assert.ok(Math.abs(clipGradNorm([a, b], 10) - 1) < 1e-5);
  expectClose(b.grad, [0.8], { rtol: 1e-5 });
});
