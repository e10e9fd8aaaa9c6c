import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Test helpers for ingest fixtures: where the shared real CT lies, temporary folders, and the
 * dcmtk / gdcm command-line tools (Debian packages dcmtk, libgdcm-tools; installed by .ci/run).
 */

/** The repository root: the nearest folder above this file that holds package.json. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('repoRoot: no package.json above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

/** ../shared/data/tcia-lung-pet-ct-dx relative to the repository root (real CT, CC BY 4.0). */
export function tciaData(...parts: string[]): string {
  return resolve(repoRoot(), '..', 'shared', 'data', 'tcia-lung-pet-ct-dx', ...parts);
}

/** A fresh temporary folder, removed when the process exits. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `csfnet-${prefix}-`));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs a command-line tool and returns stdout; a failure throws with its stderr. */
export function tool(command: string, args: readonly string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Copies files into `dir` (created), keeping their names; returns the copies' paths. */
export function copyInto(dir: string, files: readonly string[]): string[] {
  mkdirSync(dir, { recursive: true });
  return files.map((f) => {
    const to = join(dir, basename(f));
    copyFileSync(f, to);
    return to;
  });
}
