import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../backends/reference/index.js';
import { readSafetensorsFile, writeSafetensorsFile } from '../nn/index.js';
import { noGrad, Tensor } from '../tensor/index.js';
import { expectClose } from '../tensor/testing.js';
import { ConfigError } from '../util/errors.js';
import { Rng } from '../util/random.js';
import { sharedPath } from '../util/testing-paths.js';
import { loadCheckpoint, NLST_VOCAB, saveCheckpoint } from './checkpoint.js';
import { CsfNet } from './csf-net.js';
import { convBnRelu } from './conv-bn-relu.js';
import { gradCam } from './grad-cam.js';
import { configFor, MODEL_NAMES, NLST_COLUMNS, VARIANTS } from './variants.js';

const rng = new Rng(9);
const patch = (b: number): Tensor => Tensor.from(Array.from({ length: b * 16 * 64 * 64 }, () => rng.uniform()), [b, 1, 16, 64, 64]);
const clin = Tensor.int([0, 1, 1, 5, 6, 0, 0, 19], [2, 4]);
const tmp = (): string => mkdtempSync(join(tmpdir(), 'csfnet-model-'));

test('every ablation builds, keeps the official names of the parts it has, and maps two subjects to logits (2, 2)', () => {
  const full = new Set(new CsfNet(configFor('tiny'), 1).stateDict().keys());
  const x0 = patch(2);
  const x1 = patch(2);
  for (const name of MODEL_NAMES) {
    const m = new CsfNet(configFor('tiny', name), 1).eval();
    const keys = [...m.stateDict().keys()];
    const foreign = keys.filter((k) => !full.has(k) && !(name === 'concat-fusion' && k.startsWith('fc2.')) && !k.startsWith('c1.'));
    assert.deepEqual(foreign, [], `${name} keys outside CSF-Net's`);
    const y = noGrad(() => m.forward(name === 'single-t1' || name === 'clinical-only' ? null : x0, name === 'clinical-only' ? null : x1, name === 'no-clinical' ? null : clin));
    assert.deepEqual([...y.shape], [2, 2], name);
    assert.ok(y.toArray().every(Number.isFinite), name);
  }
  assert.ok(!new CsfNet(configFor('tiny', 'clinical-only'), 1).stateDict().has('conv1.0.weight'));
  assert.ok(!new CsfNet(configFor('tiny', 'no-clinical'), 1).stateDict().has('fusion.fi1.weight'));
  assert.ok(!new CsfNet(configFor('tiny', 'single-t1'), 1).stateDict().has('tepfushon.weight_t0'));
});

test('the paper variant has about 43 M parameters; the same seed gives the same weights', () => {
  const paper = new CsfNet(configFor('paper'), 3);
  const count = paper.parameterCount();
  assert.ok(count > 42e6 && count < 44e6, `paper variant has ${count} parameters`);
  const a = new CsfNet(configFor('tiny'), 5).stateDict().get('layers.1.my_conv1.0.weight')!;
  const b = new CsfNet(configFor('tiny'), 5).stateDict().get('layers.1.my_conv1.0.weight')!;
  assert.deepEqual(a.toArray(), b.toArray());
  assert.deepEqual([...VARIANTS.paper.map((s) => s.length)], [3, 3, 4]);
});

test('a saved checkpoint loads into the same network with its config and clinical schema', () => {
  const m = new CsfNet(configFor('tiny', 'concat-fusion'), 2).eval();
  const path = join(tmp(), 'm.safetensors');
  saveCheckpoint(path, m, { columns: [...NLST_COLUMNS], vocab: NLST_VOCAB }, { note: 'test' });
  const file = readSafetensorsFile(path);
  assert.equal(file.dtypes.get('categories_offset'), 'I64');
  assert.equal(JSON.parse(file.metadata.csfnet_config!).model, 'concat-fusion');
  const loaded = loadCheckpoint(path);
  assert.equal(loaded.configSource, 'metadata');
  assert.deepEqual(loaded.clinical.columns, ['race', 'cigsmok', 'gender', 'age']);
  const x0 = patch(1);
  const x1 = patch(1);
  const c = Tensor.int([1, 0, 1, 3], [1, 4]);
  const y0 = noGrad(() => m.forward(x0, x1, c)).toArray();
  const y1 = noGrad(() => loaded.model.eval().forward(x0, x1, c)).toArray();
  assert.deepEqual(y1, y0);
});

test('a checkpoint of the public code (no metadata) loads with flags; unused official keys are skipped and listed', () => {
  const dir = tmp();
  const weights = readSafetensorsFile(sharedPath('reference/fixtures/tiny/weights.safetensors'));
  const extra = new Map(weights.tensors);
  extra.set('cls_token', Tensor.zeros([1, 1, 128]));
  extra.set('tepfushon.res_conv1.weight', Tensor.zeros([2]));
  extra.set('tep.0.weight', Tensor.zeros([3]));
  const path = join(dir, 'official.safetensors');
  writeSafetensorsFile(path, extra);
  const stages = [[8, 8], [16], [16, 32]];
  const loaded = loadCheckpoint(path, { stages });
  assert.equal(loaded.configSource, 'flags');
  assert.deepEqual(loaded.skipped.sort(), ['cls_token', 'tep.0.weight', 'tepfushon.res_conv1.weight']);
  assert.throws(() => loadCheckpoint(path), (e: unknown) => e instanceof ConfigError && /key layers\.\d+\.\S+ \(shape \[/.test(e.message), 'paper default does not fit the tiny weights');
  const broken = new Map(weights.tensors);
  broken.delete('fc3.bias');
  writeSafetensorsFile(join(dir, 'missing.safetensors'), broken);
  assert.throws(() => loadCheckpoint(join(dir, 'missing.safetensors'), { stages }), /missing key fc3\.bias \(the model expects shape \[128\]\)/);
  const wrong = new Map(weights.tensors);
  wrong.set('fc3.bias', Tensor.zeros([64]));
  writeSafetensorsFile(join(dir, 'wrong.safetensors'), wrong);
  assert.throws(() => loadCheckpoint(join(dir, 'wrong.safetensors'), { stages }), /fc3\.bias: checkpoint shape \[64\] does not match the model's \[128\]/);
  const foreign = new Map(weights.tensors);
  foreign.set('decoder.weight', Tensor.zeros([2]));
  writeSafetensorsFile(join(dir, 'foreign.safetensors'), foreign);
  assert.throws(() => loadCheckpoint(join(dir, 'foreign.safetensors'), { stages }), /key decoder\.weight .* is not a parameter/);
});

test('Grad-CAM gives T0 and T1 maps on the patch grid, scaled to [0, 1], without touching the weights gradients', () => {
  const m = new CsfNet(configFor('tiny'), 4);
  const maps = gradCam(m, patch(1), patch(1), Tensor.int([1, 0, 1, 3], [1, 4]));
  for (const map of [maps.t0, maps.t1]) {
    assert.ok(map);
    assert.equal(map.length, 16 * 64 * 64);
    const mx = Math.max(...map);
    assert.ok(mx === 1 || mx === 0, `max ${mx}`);
    assert.ok(Math.min(...map) >= 0);
  }
  assert.ok(maps.pMalignant > 0 && maps.pMalignant < 1);
  assert.ok(m.parameters().every((p) => p.grad === null || p.grad.toArray().every(Number.isFinite)));
  assert.equal(m.training, true);
  const single = gradCam(new CsfNet(configFor('tiny', 'single-t1'), 4), null, patch(1), Tensor.int([1, 0, 1, 3], [1, 4]));
  assert.equal(single.t0, null);
  assert.ok(single.t1);
});

test('in evaluation the folded conv + batch norm + ReLU equals the three layers run one after another', () => {
  const layer = convBnRelu(3, 5, 3, 2, 1, new Rng(2));
  const r = new Rng(3);
  for (const t of [layer.bn.runningMean, layer.bn.runningVar, layer.bn.weight, layer.bn.bias]) {
    const d = t.f32();
    for (let i = 0; i < d.length; i++) d[i] = t === layer.bn.runningVar ? r.range(0.5, 2) : r.range(-0.5, 0.5);
  }
  layer.eval();
  const x = Tensor.from(Array.from({ length: 2 * 3 * 6 * 7 * 8 }, () => r.normal()), [2, 3, 6, 7, 8]);
  const fused = noGrad(() => layer.forward(x));
  const plain = layer.forward(x);
  assert.equal(plain.requiresGrad, true, 'with gradients on, the unfused path runs');
  expectClose(fused, plain.detach(), { rtol: 1e-5, atol: 1e-6 });
});

test('the folded eval weights are cached, and dropped on a state load, a mode change or a pass that records gradients', () => {
  const layer = convBnRelu(2, 3, 3, 1, 1, new Rng(4));
  const other = convBnRelu(2, 3, 3, 1, 1, new Rng(5));
  const r = new Rng(6);
  const x = Tensor.from(Array.from({ length: 2 * 5 * 5 * 5 }, () => r.normal()), [1, 2, 5, 5, 5]);
  const evalOut = (l: typeof layer): Float32Array => noGrad(() => l.forward(x)).f32();
  layer.eval();
  other.eval();
  const first = evalOut(layer);
  assert.deepEqual(evalOut(layer), first, 'a second pass reuses the same folded weights');

  layer.loadStateDict(other.stateDict());
  assert.deepEqual(evalOut(layer), evalOut(other), 'after loading a state dict the new weights are folded');

  // A pass that records gradients, then an in-place write as an optimizer step would do.
  layer.forward(x);
  layer.conv.weight.f32()[0]! += 0.5;
  const fresh = convBnRelu(2, 3, 3, 1, 1, new Rng(5));
  fresh.loadStateDict(layer.stateDict());
  fresh.eval();
  assert.deepEqual(evalOut(layer), evalOut(fresh), 'the weights written after a recorded pass are folded');

  layer.train();
  layer.bn.runningMean.f32()[1] = 0.25;
  layer.eval();
  fresh.loadStateDict(layer.stateDict());
  assert.deepEqual(evalOut(layer), evalOut(fresh), 'running statistics changed in training mode are folded after eval()');
});

test('centre pooling reads the fused map only around its central cells, and checkpoints keep it', () => {
  const encoded = (corner: number): Tensor => {
    const v = Array.from({ length: 32 * 2 * 8 * 8 }, (_, i) => Math.sin(i));
    for (let c = 0; c < 32; c++) for (let z = 0; z < 2; z++) v[(c * 2 + z) * 64] = corner; // H 0, W 0
    return Tensor.from(v, [1, 32, 2, 8, 8]);
  };
  const logits = (pooling: 'global' | 'centre', corner: number): number[] => {
    const m = new CsfNet(configFor('tiny', 'csfnet', undefined, 'zscore', pooling), 3).eval();
    return noGrad(() => m.forward(patch(1), patch(1), Tensor.int([0, 1, 1, 5], [1, 4]), { encoded: { t0: encoded(0), t1: encoded(corner) } })).toArray();
  };
  // The fusion conv is 3x3x3, so the central cells (H, W 3..4) see H, W 2..5 and never the corner.
  assert.deepEqual(logits('centre', 5), logits('centre', -5));
  assert.notDeepEqual(logits('global', 5), logits('global', -5));
  const path = join(tmp(), 'centre.safetensors');
  saveCheckpoint(path, new CsfNet(configFor('tiny', 'csfnet', undefined, 'zscore', 'centre'), 3), { columns: [...NLST_COLUMNS], vocab: NLST_VOCAB });
  assert.equal(loadCheckpoint(path).model.config.pooling, 'centre');
});
