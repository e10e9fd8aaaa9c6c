import { createHash, type Hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/**
 * SHA-256 over the files of one image source, in the given order: for each file its base name, a
 * NUL byte, its byte length, a NUL byte and its content. A renamed, added, removed or changed file
 * changes the hash, so a stored patch made from the old source is rebuilt.
 */
export function hashFiles(files: readonly string[]): string {
  const hash = createHash('sha256');
  for (const file of files) addFile(hash, file, readFileSync(file));
  return `sha256:${hash.digest('hex')}`;
}

/** hashFiles([file]) from bytes already in memory (those just written to `file`), without reading it. */
export function hashWritten(file: string, bytes: Uint8Array): string {
  const hash = createHash('sha256');
  addFile(hash, file, bytes);
  return `sha256:${hash.digest('hex')}`;
}

function addFile(hash: Hash, file: string, bytes: Uint8Array): void {
  hash.update(`${basename(file)}\0${bytes.length}\0`);
  hash.update(bytes);
}
