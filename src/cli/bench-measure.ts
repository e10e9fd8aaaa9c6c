import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backendSelection, useBackend } from '../backends/index.js';
import type { BackendChoice } from '../backends/index.js';
import { CsfNet } from '../model/csf-net.js';
import { configFor, NLST_CATEGORIES, VARIANTS } from '../model/variants.js';
import type { VariantName } from '../model/variants.js';
import { Adam } from '../nn/index.js';
import { crossEntropy, noGrad, Tensor } from '../tensor/index.js';
import { Rng } from '../util/random.js';

/**
 * Throughput of the whole model, as `csfnet bench` reports it: seconds per Adam training step
 * (cross-entropy, train mode) and per inference batch (eval mode, no gradient) of CSF-Net on
 * random inputs, after one untimed warm-up of each, and the process's peak resident memory.
 * The PyTorch figures come from ../shared/reference/csfnet_ref.py run by /usr/bin/python3 in a
 * child process, timed the same way by its own bench() (steps+1 iterations, the first untimed).
 */
export interface ModelBenchOptions {
  variant: VariantName;
  batch: number;
  steps: number;
  threads?: number;
  backend: BackendChoice;
  seed: number;
}

export interface ModelBench {
  backend: string;
  isa: string | null;
  threads: number;
  variant: VariantName;
  batch: number;
  steps: number;
  params: number;
  train_step_s: number;
  train_samples_per_s: number;
  infer_batch_s: number;
  infer_samples_per_s: number;
  peak_rss_mb: number;
}

export interface TorchBench {
  engine: string;
  threads: number;
  batch: number;
  params: number;
  train_step_s: number;
  train_samples_per_s: number;
  infer_batch_s: number;
  infer_samples_per_s: number;
  peak_rss_mb: number;
}

const PATCH: readonly number[] = [1, 16, 64, 64];

function randomInputs(batch: number, seed: number): { x0: Tensor; x1: Tensor; clin: Tensor; y: Tensor } {
  const rng = new Rng(seed);
  const volume = (): Tensor => {
    const size = batch * PATCH.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    for (let i = 0; i < size; i++) data[i] = rng.normal();
    return new Tensor(data, [batch, ...PATCH]);
  };
  const clin = Tensor.int(Array.from({ length: batch * NLST_CATEGORIES.length }, (_, i) => rng.int(NLST_CATEGORIES[i % NLST_CATEGORIES.length]!)), [batch, NLST_CATEGORIES.length]);
  const y = Tensor.int(Array.from({ length: batch }, () => rng.int(2)), [batch]);
  return { x0: volume(), x1: volume(), clin, y };
}

/** Times training and inference of the model on the selected backend. */
export function measureModel(o: ModelBenchOptions): ModelBench {
  useBackend(o.backend, o.threads !== undefined ? { threads: o.threads } : {});
  const selected = backendSelection()!;
  const model = new CsfNet(configFor(o.variant), o.seed);
  const { x0, x1, clin, y } = randomInputs(o.batch, o.seed + 1);
  const opt = new Adam(model.parameters(), { lr: 1e-4 });
  model.train();
  const train: number[] = [];
  for (let i = 0; i <= o.steps; i++) {
    const t = performance.now();
    opt.zeroGrad();
    crossEntropy(model.forward(x0, x1, clin), y).backward();
    opt.step();
    if (i > 0) train.push((performance.now() - t) / 1000);
  }
  model.eval();
  const infer: number[] = [];
  noGrad(() => {
    for (let i = 0; i <= o.steps; i++) {
      const t = performance.now();
      model.forward(x0, x1, clin);
      if (i > 0) infer.push((performance.now() - t) / 1000);
    }
  });
  // Means over the timed steps, as csfnet_ref.bench() reports; medians would hide a slow step.
  const trainStep = train.reduce((a, b) => a + b, 0) / train.length;
  const inferBatch = infer.reduce((a, b) => a + b, 0) / infer.length;
  return {
    backend: selected.name,
    isa: selected.native?.isa ?? null,
    threads: selected.native?.threads ?? 1,
    variant: o.variant,
    batch: o.batch,
    steps: o.steps,
    params: model.parameterCount(),
    train_step_s: trainStep,
    train_samples_per_s: o.batch / trainStep,
    infer_batch_s: inferBatch,
    infer_samples_per_s: o.batch / inferBatch,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
  };
}

/** The repository root (dist/src/cli/ is three levels below it). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const PYTHON = '/usr/bin/python3';

/** The PyTorch reference timed in a child process, or why it could not run. */
export function measurePytorch(o: ModelBenchOptions, threads: number): { ok: true; result: TorchBench } | { ok: false; reason: string } {
  const script = resolve(REPO_ROOT, '..', 'shared', 'reference', 'csfnet_ref.py');
  if (!existsSync(script)) return { ok: false, reason: `${script} not found` };
  if (!existsSync(PYTHON)) return { ok: false, reason: `${PYTHON} not found` };
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) return { ok: false, reason: `${PYTHON} cannot import torch (apt-get install python3-torch)` };
  // Other variants: the reference's CSFNet takes its stages as a default argument, set here.
  const code = [
    'import json, resource, sys',
    `sys.path.insert(0, ${JSON.stringify(dirname(script))})`,
    'import csfnet_ref as r',
    `r.CSFNet.__init__.__defaults__ = (${JSON.stringify(VARIANTS[o.variant])}, r.NLST_CATEGORIES, 0.2)`,
    `out = r.bench(batch=${o.batch}, threads=${threads}, steps=${o.steps})`,
    'out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024',
    'print(json.dumps(out))',
  ].join('\n');
  const run = spawnSync(PYTHON, ['-c', code], { encoding: 'utf8', timeout: 30 * 60 * 1000, maxBuffer: 1 << 20 });
  if (run.status !== 0) return { ok: false, reason: `PyTorch reference failed: ${(run.stderr || String(run.error ?? run.signal)).trim().split('\n').slice(-1)[0]}` };
  try {
    const line = run.stdout.trim().split('\n').slice(-1)[0] ?? '';
    return { ok: true, result: JSON.parse(line) as TorchBench };
  } catch {
    return { ok: false, reason: `PyTorch reference printed no JSON: ${run.stdout.slice(0, 200)}` };
  }
}

/** CPU model and core count, for reports. */
export function machine(): { cpu: string; cores: number } {
  const list = cpus();
  return { cpu: list[0]?.model ?? 'unknown', cores: list.length };
}
