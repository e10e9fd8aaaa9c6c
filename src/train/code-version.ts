import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** "csf-net@VERSION" plus the git commit when run from a checkout (read from .git, no git needed). */
export function codeVersion(): string {
  let version = '0.0.0';
  try {
    version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string }).version ?? version;
  } catch {
    // keep the default: the package file is part of every install
  }
  return `csf-net@${version}${gitCommit() ? `+${gitCommit()!.slice(0, 12)}` : ''}`;
}

function gitCommit(): string | null {
  const head = join(root, '.git', 'HEAD');
  if (!existsSync(head)) return null;
  const text = readFileSync(head, 'utf8').trim();
  if (!text.startsWith('ref: ')) return /^[0-9a-f]{40}$/.test(text) ? text : null;
  const ref = join(root, '.git', text.slice(5));
  if (existsSync(ref)) return readFileSync(ref, 'utf8').trim();
  const packed = join(root, '.git', 'packed-refs');
  if (!existsSync(packed)) return null;
  const line = readFileSync(packed, 'utf8').split('\n').find((l) => l.endsWith(` ${text.slice(5)}`));
  return line ? line.split(' ')[0]! : null;
}
