/**
 * The engine's conformance suite (src/backends/conformance.ts: forward cases against hand-computed
 * values and the reference backend, gradients against finite differences and the reference
 * gradients, NaN propagation, shape errors) on the native backend, at the best instruction set this
 * CPU offers and 2 threads, with the suite's own tolerances (against the reference: 1e-5 relative,
 * 1e-6 absolute; the suite's cases are small enough that the native kernels' different summation
 * order stays within them). Skipped, with the reason, when the addon is not built or the CPU lacks
 * AVX2/FMA.
 */
import { test } from 'node:test';
import { conformanceSuite } from '../conformance.js';
import { loadNativeBackend } from './index.js';

const load = loadNativeBackend({ threads: 2 });
if (load.ok) {
  conformanceSuite(load.backend);
} else {
  test('native backend conformance', { skip: `native backend unavailable: ${load.reason}` }, () => {});
}
