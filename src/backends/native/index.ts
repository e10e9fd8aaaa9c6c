import { availableParallelism } from 'node:os';
import type { Backend } from '../../tensor/kernels.js';
import { loadNativeAddon } from './native-addon.js';
import type { NativeAddon } from './native-addon.js';
import { createNativeKernels } from './native-kernels.js';

export type { NativeAddon } from './native-addon.js';
export { ADDON_PATH, loadNativeAddon } from './native-addon.js';
export { createNativeKernels } from './native-kernels.js';

/** What the native backend runs with. */
export interface NativeInfo {
  /** Thread-pool size (the calling thread included). */
  threads: number;
  /** Instruction-set level of the micro-kernels: 'avx512', 'avx2' or 'portable'. */
  isa: string;
  /** Levels this CPU and build can run, best first. */
  available: string[];
}

export type NativeLoad = { ok: true; backend: Backend; addon: NativeAddon; info: NativeInfo } | { ok: false; reason: string };

export interface NativeOptions {
  /** Threads; default CSFNET_THREADS, else the cores this process may use. */
  threads?: number;
  /** Cap on the instruction set ('avx512' | 'avx2' | 'portable'); default CSFNET_NATIVE_ISA, else the best. */
  isa?: string;
}

/** Reads a thread count from CSFNET_THREADS; undefined when unset, a reason string when invalid. */
export function threadsFromEnv(env: NodeJS.ProcessEnv = process.env): number | string | undefined {
  const raw = env.CSFNET_THREADS;
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1024) return `CSFNET_THREADS=${raw} is not an integer in 1..1024`;
  return n;
}

let cached: NativeLoad | null = null;

/**
 * Loads the addon and builds the native Backend, or says why it cannot: the addon is not built,
 * failed to load, or the CPU lacks AVX2/FMA (the portable kernels can still be forced with
 * isa 'portable' for testing). Thread count and ISA are applied on every call.
 */
export function loadNativeBackend(options: NativeOptions = {}): NativeLoad {
  if (cached === null || !cached.ok) {
    const load = loadNativeAddon();
    if (!load.ok) return (cached = { ok: false, reason: load.reason });
    const addon = load.addon;
    cached = { ok: true, addon, backend: { name: 'native', kernels: createNativeKernels(addon) }, info: { threads: 1, isa: addon.isa(), available: addon.availableIsas() } };
  }
  const { addon, backend } = cached;
  const isa = options.isa ?? process.env.CSFNET_NATIVE_ISA;
  const available = addon.availableIsas();
  if (isa !== undefined && isa !== '') {
    if (!available.includes(isa)) return { ok: false, reason: `instruction set ${isa} is not available here (available: ${available.join(', ')})` };
    addon.setIsa(isa);
  } else {
    if (!addon.hasAvx2Fma()) return { ok: false, reason: 'this CPU lacks AVX2/FMA, which the native backend needs' };
    addon.setIsa(available[0]!);
  }
  const envThreads = threadsFromEnv();
  if (typeof envThreads === 'string' && options.threads === undefined) return { ok: false, reason: envThreads };
  const threads = options.threads ?? (typeof envThreads === 'number' ? envThreads : availableParallelism());
  addon.setThreads(threads);
  const info: NativeInfo = { threads: addon.threads(), isa: addon.isa(), available };
  cached = { ok: true, addon, backend, info };
  return cached;
}
