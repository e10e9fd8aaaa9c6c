import type { Conv3dGeometry, Pool3dGeometry } from '../../tensor/kernels.js';
import { loadNativeBackend } from './index.js';
import type { NativeLoad } from './index.js';

/**
 * Helpers for the native backend's conformance tests (native.test.ts, native-misc.test.ts):
 * seeded inputs, geometry builders, the backend loaded at every instruction-set level this machine
 * offers, and a closeness check whose failure message names the case.
 */

/** Uniform values in [lo, hi) from a seeded mulberry32 stream (deterministic inputs for tests). */
export function seeded(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = lo + (hi - lo) * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
  }
  return out;
}

export type Triple = [number, number, number];

/** Conv geometry with PyTorch's output size floor((in + 2p - k) / s) + 1 per axis. */
export function convGeometry(n: number, cin: number, cout: number, size: Triple, k: Triple, s: Triple, p: Triple): Conv3dGeometry {
  const out = (i: 0 | 1 | 2): number => Math.floor((size[i] + 2 * p[i] - k[i]) / s[i]) + 1;
  return { n, cin, cout, id: size[0], ih: size[1], iw: size[2], kd: k[0], kh: k[1], kw: k[2], sd: s[0], sh: s[1], sw: s[2], pd: p[0], ph: p[1], pw: p[2], od: out(0), oh: out(1), ow: out(2) };
}

/** A named convolution case of the native tests. */
export interface ConvCase {
  name: string;
  g: Conv3dGeometry;
}

/** A named case; kernel, stride and padding given per axis or as one number for all three. */
export function convCase(name: string, n: number, cin: number, cout: number, size: Triple, k: Triple | number, s: Triple | number = 1, p: Triple | number = 0): ConvCase {
  const t = (v: Triple | number): Triple => (typeof v === 'number' ? [v, v, v] : v);
  return { name, g: convGeometry(n, cin, cout, size, t(k), t(s), t(p)) };
}

/** Seeded input, weight (in [-0.5, 0.5]), bias and output-gradient arrays for a convolution. */
export function convInputs(g: Conv3dGeometry, seed: number): { x: Float32Array; w: Float32Array; bias: Float32Array; dy: Float32Array } {
  const taps = g.kd * g.kh * g.kw;
  return {
    x: seeded(g.n * g.cin * g.id * g.ih * g.iw, seed),
    w: seeded(g.cout * g.cin * taps, seed + 1, -0.5, 0.5),
    bias: seeded(g.cout, seed + 2),
    dy: seeded(g.n * g.cout * g.od * g.oh * g.ow, seed + 3),
  };
}

/** Absolute tolerance for a sum of k products whose result reaches `scale`. */
export const sumTol = (k: number, scale: number): number => 2e-6 * Math.sqrt(k) * Math.max(scale, 1e-6);

export function poolGeometry(planes: number, size: Triple, k: Triple, s: Triple, p: Triple): Pool3dGeometry {
  const out = (i: 0 | 1 | 2): number => Math.floor((size[i] + 2 * p[i] - k[i]) / s[i]) + 1;
  return { planes, id: size[0], ih: size[1], iw: size[2], kd: k[0], kh: k[1], kw: k[2], sd: s[0], sh: s[1], sw: s[2], pd: p[0], ph: p[1], pw: p[2], od: out(0), oh: out(1), ow: out(2) };
}

/** Largest |value| (the scale that absolute tolerances of sums are stated against). */
export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/**
 * Throws naming `label` and the worst element unless |a - e| <= atol + rtol*|e| everywhere; equal
 * values (infinities included) and NaN against NaN count as agreeing.
 */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number, label: string): void {
  if (actual.length !== expected.length) throw new Error(`${label}: ${actual.length} values, reference has ${expected.length}`);
  let worst = -1;
  let excessWorst = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (a === e || (Number.isNaN(a) && Number.isNaN(e))) continue;
    const excess = Math.abs(a - e) - (atol + rtol * Math.abs(e));
    if (!(excess <= 0) && (worst < 0 || !(excess <= excessWorst))) {
      worst = i;
      excessWorst = excess;
    }
  }
  if (worst >= 0) throw new Error(`${label}: element ${worst} is ${actual[worst]}, reference ${expected[worst]} (rtol ${rtol}, atol ${atol.toExponential(2)})`);
}

/** True when both arrays hold the same bits (NaN payloads included). */
export function sameBits(a: Float32Array | Int32Array, b: Float32Array | Int32Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** The native backend at each instruction-set level this CPU offers, or why there is none. */
export function nativeLevels(): { levels: string[]; skip: string | false } {
  const first = loadNativeBackend({ isa: 'portable', threads: 1 });
  if (!first.ok) return { levels: [], skip: `native backend unavailable, conformance skipped: ${first.reason}` };
  return { levels: first.info.available, skip: false };
}

/** Loads the backend at `isa` with `threads`; throws when that fails (the level was listed as available). */
export function nativeAt(isa: string, threads: number): Extract<NativeLoad, { ok: true }> {
  const load = loadNativeBackend({ isa, threads });
  if (!load.ok) throw new Error(`native backend at ${isa}/${threads} threads: ${load.reason}`);
  return load;
}
