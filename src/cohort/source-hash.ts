import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/**
 * SHA-256 over the files of one image source, in the given order: for each file its base name, a
 * NUL byte, its byte length, a NUL byte and its content. A renamed, added, removed or changed file
 * changes the hash, so a stored patch made from the old source is rebuilt.
 */
export function hashFiles(files: readonly string[]): string {
  const hash = createHash('sha256');
  for (const file of files) {
    const bytes = readFileSync(file);
    hash.update(`${basename(file)}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  return `sha256:${hash.digest('hex')}`;
}
