import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import '../src/backends/reference/index.js';
import { loadNativeBackend } from '../src/backends/native/index.js';
import type { Conv3dGeometry, Kernels } from '../src/tensor/kernels.js';
import { referenceKernel } from '../src/tensor/kernels.js';
import { convFlops, outSize, paperConvShapes } from './paper-conv-shapes.js';
import type { ConvShape } from './paper-conv-shapes.js';

/**
 * conv3d micro-benchmark: forward, backward-data and backward-weight of every distinct conv shape of
 * the paper-size CSF-Net (batch 4), in GFLOP/s (2 x multiply-adds / median seconds), on the native
 * backend, beside PyTorch (bench/torch_conv3d.py under /usr/bin/python3) when torch imports, and the
 * reference TypeScript backend as the baseline on the shapes small enough to time (one sample,
 * one run, at most `referenceMaxGflop` per pass).
 */
export interface ConvBenchOptions {
  threads: number;
  reps: number;
  isa?: string;
  pytorch: boolean;
  reference: boolean;
  referenceMaxGflop: number;
  /** Only shapes whose name contains this. */
  filter?: string;
  /** false: the direct small-channel kernels switched off (every convolution as a GEMM). */
  direct?: boolean;
}

interface PassTimes {
  forward_s: number;
  backward_data_s: number;
  backward_weight_s: number;
}

type Gflops = { forward: number; backward_data: number; backward_weight: number };

const BENCH_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench');

function geometry(s: ConvShape, n = s.n): Conv3dGeometry {
  const o = s.size.map((v) => outSize(v, s.k, s.stride, s.pad));
  return { n, cin: s.cin, cout: s.cout, id: s.size[0], ih: s.size[1], iw: s.size[2], kd: s.k, kh: s.k, kw: s.k, sd: s.stride, sh: s.stride, sw: s.stride, pd: s.pad, ph: s.pad, pw: s.pad, od: o[0]!, oh: o[1]!, ow: o[2]! };
}

function filled(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    a[i] = s / 4294967296 - 0.5;
  }
  return a;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timePasses(k: Pick<Kernels, 'conv3dForward' | 'conv3dBackwardData' | 'conv3dBackwardWeight'>, g: Conv3dGeometry, reps: number, warmup: boolean): PassTimes {
  const taps = g.kd * g.kh * g.kw;
  const x = filled(g.n * g.cin * g.id * g.ih * g.iw, 1);
  const w = filled(g.cout * g.cin * taps, 2);
  const b = filled(g.cout, 3);
  const dy = filled(g.n * g.cout * g.od * g.oh * g.ow, 4);
  const y = new Float32Array(dy.length);
  const dx = new Float32Array(x.length);
  const dw = new Float32Array(w.length);
  const db = new Float32Array(g.cout);
  const time = (fn: () => void): number => {
    if (warmup) fn();
    const t: number[] = [];
    for (let r = 0; r < reps; r++) {
      const start = performance.now();
      fn();
      t.push((performance.now() - start) / 1000);
    }
    return median(t);
  };
  return {
    forward_s: time(() => k.conv3dForward(x, w, b, y, g, false)),
    backward_data_s: time(() => k.conv3dBackwardData(dy, w, dx, g)),
    backward_weight_s: time(() => k.conv3dBackwardWeight(x, dy, dw, db, g)),
  };
}

function gflops(flops: number, t: PassTimes): Gflops {
  return { forward: flops / t.forward_s / 1e9, backward_data: flops / t.backward_data_s / 1e9, backward_weight: flops / t.backward_weight_s / 1e9 };
}

function runPytorch(shapes: ConvShape[], threads: number, reps: number): { ok: true; engine: string; times: Map<string, PassTimes> } | { ok: false; reason: string } {
  const python = '/usr/bin/python3';
  const script = resolve(BENCH_DIR, 'torch_conv3d.py');
  if (!existsSync(python) || !existsSync(script)) return { ok: false, reason: `${python} or ${script} missing` };
  const run = spawnSync(python, [script, String(threads), String(reps)], { input: JSON.stringify(shapes), encoding: 'utf8', timeout: 30 * 60 * 1000 });
  if (run.status !== 0) return { ok: false, reason: (run.stderr || String(run.error)).trim().split('\n').slice(-1)[0] ?? 'failed' };
  const out = JSON.parse(run.stdout) as { engine: string; shapes: Array<PassTimes & { name: string }> };
  return { ok: true, engine: out.engine, times: new Map(out.shapes.map((s) => [s.name, s])) };
}

export function runConvBench(o: ConvBenchOptions): Record<string, unknown> {
  const load = loadNativeBackend({ threads: o.threads, ...(o.isa !== undefined ? { isa: o.isa } : {}) });
  if (!load.ok) throw new Error(`conv3d bench: native backend unavailable: ${load.reason}`);
  load.addon.setDirectConv(o.direct ?? true);
  const native = load.backend.kernels as Pick<Kernels, 'conv3dForward' | 'conv3dBackwardData' | 'conv3dBackwardWeight'>;
  const shapes = paperConvShapes(4).filter((s) => o.filter === undefined || s.name.includes(o.filter));
  const torch = o.pytorch ? runPytorch(shapes, o.threads, o.reps) : ({ ok: false, reason: 'not requested (--compare-pytorch)' } as const);
  const reference = { conv3dForward: referenceKernel('conv3dForward'), conv3dBackwardData: referenceKernel('conv3dBackwardData'), conv3dBackwardWeight: referenceKernel('conv3dBackwardWeight') };
  const rows = shapes.map((s) => {
    const flops = convFlops(s);
    const ours = timePasses(native, geometry(s), o.reps, true);
    const row: Record<string, unknown> = { name: s.name, n: s.n, cin: s.cin, cout: s.cout, size: s.size, k: s.k, stride: s.stride, pad: s.pad, uses: s.uses, gflop: flops / 1e9, native: { ...ours, gflops: gflops(flops, ours) } };
    if (torch.ok) {
      const t = torch.times.get(s.name)!;
      const g = gflops(flops, t);
      row.pytorch = { ...t, gflops: g };
      row.speedup_vs_pytorch = { forward: t.forward_s / ours.forward_s, backward_data: t.backward_data_s / ours.backward_data_s, backward_weight: t.backward_weight_s / ours.backward_weight_s };
    }
    const oneSample = flops / s.n;
    if (o.reference && oneSample / 1e9 <= o.referenceMaxGflop) {
      const t = timePasses(reference, geometry(s, 1), 1, false);
      row.reference = { n: 1, ...t, gflops: gflops(oneSample, t) };
    }
    return row;
  });
  // Totals weighted by how often each shape runs in one forward pass of the model.
  const total = (pick: (r: Record<string, unknown>) => PassTimes | undefined): PassTimes | null => {
    const sum = { forward_s: 0, backward_data_s: 0, backward_weight_s: 0 };
    for (const [i, r] of rows.entries()) {
      const t = pick(r);
      if (t === undefined) return null;
      sum.forward_s += shapes[i]!.uses * t.forward_s;
      sum.backward_data_s += shapes[i]!.uses * t.backward_data_s;
      sum.backward_weight_s += shapes[i]!.uses * t.backward_weight_s;
    }
    return sum;
  };
  return {
    benchmark: 'conv3d',
    backend: 'native',
    isa: load.info.isa,
    threads: load.info.threads,
    direct_conv: o.direct ?? true,
    reps: o.reps,
    pytorch_engine: torch.ok ? torch.engine : null,
    pytorch_unavailable: torch.ok ? undefined : torch.reason,
    model_forward_conv_gflop: shapes.reduce((a, s) => a + s.uses * convFlops(s), 0) / 1e9,
    model_conv_seconds: { native: total((r) => r.native as PassTimes), pytorch: torch.ok ? total((r) => r.pytorch as PassTimes | undefined) : null },
    shapes: rows,
  };
}
