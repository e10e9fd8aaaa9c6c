import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';

/**
 * Writes a file under a temporary name in the same folder and renames it into place, so a crash
 * never leaves half a file behind: readers see the old file or the new one, nothing in between.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array | readonly Uint8Array[]): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    if (typeof data === 'string' || data instanceof Uint8Array) {
      writeFileSync(tmp, data);
    } else {
      writeFileSync(tmp, Buffer.concat(data as Uint8Array[]));
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
