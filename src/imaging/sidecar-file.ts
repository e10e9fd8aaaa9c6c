import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { InputError } from '../util/errors.js';
import { checkFileSize, type ReadLimits } from './read-limits.js';

/** The first `max` bytes of a file (all of it when shorter): enough for a text header. */
export function readHead(path: string, max: number): Buffer {
  const head = Buffer.alloc(max);
  const fd = openSync(path, 'r');
  try {
    return head.subarray(0, readSync(fd, head, 0, max, 0));
  } finally {
    closeSync(fd);
  }
}

/**
 * The absolute path of a data file named by a header (MetaImage ElementDataFile, NRRD "data file"),
 * which must be one plain file inside the header's folder (ct-input.md checklist item 5): lists,
 * patterns, and names leading outside are an InputError with `rule`.
 */
export function sidecarPath(headerPath: string, name: string, rule: string): string {
  if (name.startsWith('LIST') || /%|\s/.test(name)) {
    throw new InputError(`${headerPath}: data file "${name}": file lists and patterns are not supported`, { file: headerPath, rule });
  }
  const folder = dirname(resolve(headerPath));
  const target = resolve(folder, name);
  const rel = relative(folder, target);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new InputError(`${headerPath}: data file "${name}" lies outside the header's folder`, { file: headerPath, rule });
  }
  return target;
}

/** Reads the data file a header names (see sidecarPath), size-checked; a missing file is an InputError with `rule`. */
export function readSidecar(headerPath: string, name: string, rule: string, limits: ReadLimits): { path: string; bytes: Buffer } {
  const path = sidecarPath(headerPath, name, rule);
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new InputError(`${headerPath}: data file "${name}" not found`, { file: headerPath, rule });
  }
  checkFileSize(size, limits, path);
  return { path, bytes: readFileSync(path) };
}
