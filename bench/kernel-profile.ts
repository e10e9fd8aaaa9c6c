import { loadavg } from 'node:os';
import { createNativeKernels, loadNativeAddon, loadNativeBackend } from '../src/backends/native/index.js';
import type { NativeAddon } from '../src/backends/native/index.js';
import { CsfNet } from '../src/model/csf-net.js';
import { configFor, NLST_CATEGORIES } from '../src/model/variants.js';
import type { VariantName } from '../src/model/variants.js';
import { Adam } from '../src/nn/index.js';
import type { Backend, Kernels } from '../src/tensor/kernels.js';
import { setBackend } from '../src/tensor/kernels.js';
import { crossEntropy, Tensor } from '../src/tensor/index.js';
import { Rng } from '../src/util/random.js';

/**
 * Kernel profile of CSF-Net training on the native backend: the wall time of an Adam step (batch of
 * subjects, two 1x16x64x64 patches each, cross-entropy), then the same steps with every kernel call
 * timed and grouped by kernel name and shape (convolution geometry, reduction (outer, r, inner),
 * batch-norm (n, c, spatial), element-wise op and length). What the kernels do not cover (the
 * TypeScript ops, allocation, garbage collection) is the difference between the profiled step and
 * the sum of its kernels. With `addon` the kernels come from another build of the addon (e.g. one
 * built from an older commit in a separate checkout), for before/after comparisons on the same
 * TypeScript.
 */
export interface ProfileOptions {
  variant: VariantName;
  batch: number;
  steps: number;
  threads: number;
  isa?: string;
  /** false: every convolution through the GEMM paths (the direct kernels switched off). */
  direct: boolean;
  seed: number;
  /** Path of another build of the addon to profile instead of this checkout's. */
  addon?: string;
}

interface Tally {
  calls: number;
  ms: number;
}

type AnyKernel = (...args: unknown[]) => unknown;

/** A short description of a kernel call's size, from its arguments. */
function callKey(name: string, args: readonly unknown[]): string {
  const geometry = args.find((a): a is Record<string, number> => typeof a === 'object' && a !== null && !ArrayBuffer.isView(a) && !Array.isArray(a));
  if (geometry !== undefined && 'cin' in geometry) {
    const g = geometry;
    return `${name} ${g.cin}->${g.cout} k${g.kd} s${g.sd} @${g.id}x${g.ih}x${g.iw} n${g.n}`;
  }
  if (geometry !== undefined && 'spatial' in geometry) return `${name} n${geometry.n} c${geometry.c} s${geometry.spatial}`;
  if (name === 'reduceSum' || name === 'reduceMax') return `${name} ${args.slice(-3).join('x')}`;
  if (name === 'unary' || name === 'unaryBackward') return `${name} ${String(args[0])} ${(args[1] as Float32Array).length}`;
  if (name === 'binary') return `${name} ${String(args[0])} [${(args[6] as number[]).join(',')}]`;
  return name;
}

/** The kernels of the addon at `path`, set to `threads` and the best (or the given) instruction set. */
function otherAddon(path: string, threads: number, isa?: string): { ok: true; addon: NativeAddon; backend: Backend; info: { threads: number; isa: string } } | { ok: false; reason: string } {
  const loaded = loadNativeAddon(path);
  if (!loaded.ok) return loaded;
  const addon = loaded.addon;
  addon.setThreads(threads);
  addon.setIsa(isa ?? addon.availableIsas()[0]!);
  return { ok: true, addon, backend: { name: 'native', kernels: createNativeKernels(addon) }, info: { threads: addon.threads(), isa: addon.isa() } };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export function runKernelProfile(o: ProfileOptions): Record<string, unknown> {
  const load = o.addon !== undefined ? otherAddon(o.addon, o.threads, o.isa) : loadNativeBackend({ threads: o.threads, ...(o.isa !== undefined ? { isa: o.isa } : {}) });
  if (!load.ok) throw new Error(`kernel profile: native backend unavailable: ${load.reason}`);
  // Builds from before the direct kernels lack the switch (and the kernels).
  const switchable = typeof (load.addon as Partial<NativeAddon>).setDirectConv === 'function';
  if (switchable) load.addon.setDirectConv(o.direct);
  else if (!o.direct) throw new Error('kernel profile: this addon build has no direct convolutions to switch off');
  const tallies = new Map<string, Tally>();
  let recording = false;
  const timed: Record<string, AnyKernel> = {};
  for (const [name, fn] of Object.entries(load.backend.kernels) as Array<[string, AnyKernel]>) {
    timed[name] = (...args: unknown[]) => {
      if (!recording) return fn(...args);
      const t = performance.now();
      const result = fn(...args);
      const ms = performance.now() - t;
      const key = callKey(name, args);
      const tally = tallies.get(key) ?? { calls: 0, ms: 0 };
      tally.calls++;
      tally.ms += ms;
      tallies.set(key, tally);
      return result;
    };
  }
  const profiled: Backend = { name: 'native', kernels: timed as Partial<Kernels> };
  setBackend(profiled);
  try {
    const rng = new Rng(o.seed);
    const patch = (): Tensor => {
      const size = o.batch * 16 * 64 * 64;
      const data = new Float32Array(size);
      for (let i = 0; i < size; i++) data[i] = rng.normal();
      return new Tensor(data, [o.batch, 1, 16, 64, 64]);
    };
    const x0 = patch();
    const x1 = patch();
    const clin = Tensor.int(Array.from({ length: o.batch * NLST_CATEGORIES.length }, (_, i) => rng.int(NLST_CATEGORIES[i % NLST_CATEGORIES.length]!)), [o.batch, NLST_CATEGORIES.length]);
    const y = Tensor.int(Array.from({ length: o.batch }, () => rng.int(2)), [o.batch]);
    const model = new CsfNet(configFor(o.variant), o.seed);
    model.train();
    const opt = new Adam(model.parameters(), { lr: 1e-4 });
    const step = (): number => {
      const t = performance.now();
      opt.zeroGrad();
      crossEntropy(model.forward(x0, x1, clin), y).backward();
      opt.step();
      return performance.now() - t;
    };
    step();
    step();
    const load0 = loadavg()[0]!;
    const plain = Array.from({ length: o.steps }, step);
    recording = true;
    const withTimers = Array.from({ length: o.steps }, step);
    recording = false;
    const perStep = (v: number): number => v / o.steps;
    const kernels = [...tallies].sort((a, b) => b[1].ms - a[1].ms).map(([key, t]) => ({ kernel: key, ms_per_step: perStep(t.ms), calls_per_step: perStep(t.calls) }));
    const kernelMs = kernels.reduce((s, k) => s + k.ms_per_step, 0);
    const profiledMean = withTimers.reduce((a, b) => a + b, 0) / o.steps;
    return {
      benchmark: 'kernel-profile',
      variant: o.variant,
      batch: o.batch,
      steps: o.steps,
      threads: load.info.threads,
      isa: load.info.isa,
      direct_conv: switchable ? o.direct : null,
      addon: o.addon ?? 'this checkout',
      load_average_1min: [load0, loadavg()[0]!],
      step_ms: { median: median(plain), min: Math.min(...plain), all: plain },
      profiled_step_ms: { median: median(withTimers), mean: profiledMean },
      kernels_ms_per_step: kernelMs,
      outside_kernels_ms_per_step: profiledMean - kernelMs,
      kernels,
    };
  } finally {
    if (switchable) load.addon.setDirectConv(true);
    setBackend(load.backend);
  }
}
