/**
 * Reads the imports of every file under src/ and fails when a layer imports what
 * ../shared/docs/architecture.md forbids, so the layout stays true as the project grows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const src = join(root, 'src');

/** Which top-level folders of src/ each layer may import (itself included). */
const ALLOWED: Record<string, readonly string[]> = {
  util: ['util'],
  tensor: ['tensor', 'util'],
  backends: ['backends', 'tensor', 'util'],
  nn: ['nn', 'tensor', 'util'],
  model: ['model', 'nn', 'tensor', 'util'],
  imaging: ['imaging', 'util'],
  clinical: ['clinical', 'util'],
  cohort: ['cohort', 'imaging', 'clinical', 'util'],
  synth: ['synth', 'cohort', 'imaging', 'clinical', 'util'],
  eval: ['eval', 'util'],
  store: ['store', 'eval', 'util'],
  train: ['train', 'tensor', 'backends', 'nn', 'model', 'cohort', 'imaging', 'clinical', 'eval', 'store', 'util'],
  cli: ['cli', 'train', 'tensor', 'backends', 'nn', 'model', 'cohort', 'imaging', 'clinical', 'synth', 'eval', 'store', 'util', 'server/index'],
  server: ['server', 'train', 'tensor', 'backends', 'nn', 'model', 'cohort', 'imaging', 'clinical', 'synth', 'eval', 'store', 'util'],
};

/** Node modules a layer may not touch: the engine and the model never do I/O themselves. */
const FORBIDDEN_NODE: Record<string, readonly string[]> = {
  tensor: ['node:fs', 'node:fs/promises', 'node:net', 'node:http', 'node:child_process'],
  backends: ['node:fs', 'node:fs/promises', 'node:net', 'node:http', 'node:child_process'],
  model: ['node:fs', 'node:fs/promises', 'node:net', 'node:http', 'node:child_process'],
  eval: ['node:net', 'node:http'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

export function importsOf(text: string): string[] {
  const found: string[] = [];
  const pattern = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm;
  for (const m of text.matchAll(pattern)) found.push(m[1] ?? m[2] ?? m[3] ?? '');
  return found;
}

function layerOf(path: string): string {
  return relative(src, path).split(sep)[0] ?? '';
}

test('every src/ file imports only what its layer may import', () => {
  const violations: string[] = [];
  for (const file of sourceFiles(src)) {
    const layer = layerOf(file);
    const allowed = ALLOWED[layer];
    if (allowed === undefined) {
      violations.push(`${relative(root, file)}: folder src/${layer} is not a layer of docs/architecture.md`);
      continue;
    }
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec);
        const rel = relative(src, target).split(sep).join('/');
        const targetLayer = rel.split('/')[0] ?? '';
        const ok = allowed.includes(targetLayer) || allowed.some((a) => rel.startsWith(`${a}.`) || rel === a);
        if (!ok) violations.push(`${relative(root, file)}: layer ${layer} imports ${spec} (layer ${targetLayer})`);
      } else if ((FORBIDDEN_NODE[layer] ?? []).includes(spec)) {
        violations.push(`${relative(root, file)}: layer ${layer} may not import ${spec}`);
      }
    }
  }
  assert.deepEqual(violations, []);
});

test('the import reader finds static, re-exported and dynamic imports', () => {
  const text = "import { a } from './a.js';\nexport { b } from '../b.js';\nconst c = await import('./c.js');\nimport type { D } from 'd';\n";
  assert.deepEqual(importsOf(text), ['./a.js', '../b.js', './c.js', 'd']);
});
