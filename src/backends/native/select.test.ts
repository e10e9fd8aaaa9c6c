/**
 * Backend selection (src/backends/index.ts): 'auto' picks native when the addon loads, the reference
 * backend otherwise, CSFNET_BACKEND and CSFNET_THREADS steer it, and the line naming the backend
 * and the reason is announced once per process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backendSelection, useBackend } from '../index.js';
import { backendName } from '../../tensor/kernels.js';
import { loadNativeBackend } from './index.js';

function withEnv<T>(vars: Record<string, string | undefined>, fn: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

test('useBackend announces the chosen backend and its reason once', () => {
  const lines: string[] = [];
  withEnv({ CSFNET_BACKEND: undefined, CSFNET_THREADS: undefined }, () => {
    useBackend('reference', { announce: (l) => lines.push(l) });
    useBackend('reference', { announce: (l) => lines.push(l) });
  });
  assert.deepEqual(lines, ['csf-net: reference backend (requested)']);
  assert.equal(backendName(), 'reference');
});

test('auto selects native when the addon loads, else reference with the loader reason', () => {
  const native = loadNativeBackend();
  withEnv({ CSFNET_BACKEND: undefined, CSFNET_THREADS: undefined }, () => useBackend('auto', { announce: null }));
  const sel = backendSelection()!;
  if (native.ok) {
    assert.equal(sel.name, 'native');
    assert.match(sel.line, /^csf-net: native backend \((avx512|avx2|portable), \d+ threads?\)$/);
  } else {
    assert.equal(sel.name, 'reference');
    assert.ok(sel.line.includes(native.reason), sel.line);
  }
  assert.equal(backendName(), sel.name);
});

test('CSFNET_BACKEND overrides auto, bad values are reported, CSFNET_THREADS sets the pool', () => {
  withEnv({ CSFNET_BACKEND: 'reference' }, () => useBackend('auto', { announce: null }));
  assert.equal(backendSelection()!.line, 'csf-net: reference backend (CSFNET_BACKEND=reference)');
  withEnv({ CSFNET_BACKEND: 'gpu', CSFNET_THREADS: undefined }, () => useBackend('reference', { announce: null }));
  assert.match(backendSelection()!.line, /CSFNET_BACKEND=gpu ignored/);
  withEnv({ CSFNET_BACKEND: undefined, CSFNET_THREADS: 'lots' }, () => useBackend('native', { announce: null }));
  assert.equal(backendSelection()!.name, 'reference');
  assert.match(backendSelection()!.line, /CSFNET_THREADS=lots is not an integer/);
  if (loadNativeBackend().ok) {
    withEnv({ CSFNET_BACKEND: undefined, CSFNET_THREADS: '1' }, () => useBackend('native', { announce: null }));
    assert.equal(backendSelection()!.native?.threads, 1);
  }
  useBackend('reference', { announce: null });
});
