import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import type { Entry } from 'yauzl';
import { CsfnetError, InputError } from '../util/errors.js';

/** An upload that is too large once unpacked (HTTP 413, like an upload over the limit). */
export class UploadTooLargeError extends CsfnetError {
  override readonly httpStatus = 413;
  readonly rule: string;
  constructor(message: string, rule: string) {
    super(message);
    this.rule = rule;
  }
}

export interface UnzipLimits {
  /** Most files in one archive (default: the series reader's file limit). */
  readonly maxEntries: number;
  /** Largest sum of the entries' uncompressed sizes. */
  readonly maxBytes: number;
}

export interface UnzippedFile {
  /** Where it was written: `outDir/000001`, ... (names from the archive are never used on disk). */
  readonly path: string;
  /** The entry's name in the archive, for messages to the uploader (never logged). */
  readonly entry: string;
}

/**
 * Why an archive entry's name is refused, or null when it is a safe relative path. Backslashes
 * count as separators (Windows archives), so "..\\x" is a traversal too; absolute paths (leading
 * slash, drive letter, UNC) and NUL bytes are refused. The zip specification (APPNOTE 4.4.17) allows
 * only relative names with forward slashes.
 */
export function unsafeEntryName(name: string): string | null {
  if (name.includes('\0')) return 'contains a NUL byte';
  const n = name.replace(/\\/g, '/');
  if (n.startsWith('/') || /^[a-zA-Z]:/.test(n)) return 'is an absolute path';
  if (n.split('/').some((part) => part === '..')) return 'climbs out of the archive with ../';
  return null;
}

/** Entries that are not scan data: folders, macOS resource forks, hidden files, DICOMDIR indexes. */
function skipped(name: string): boolean {
  const n = name.replace(/\\/g, '/');
  const base = n.split('/').pop() ?? '';
  return n.endsWith('/') || n.startsWith('__MACOSX/') || base.startsWith('.') || base.toUpperCase() === 'DICOMDIR';
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/**
 * Unpacks the zip archive at `zipPath` into `outDir` (flat, files numbered in archive order) and
 * returns what it wrote. Every entry is checked before its data is read: a name that is absolute or
 * climbs out with ../ ("zip-path-traversal"), a symbolic link ("zip-symlink"), an encrypted entry
 * ("zip-encrypted") are InputErrors naming the entry; more entries or more unpacked bytes than the
 * limits allow is an UploadTooLargeError. A file that is not a zip archive, or a damaged one, is an
 * InputError "zip-malformed". yauzl checks each entry's actual size against its declared size, so
 * a lying header cannot unpack more than was declared.
 */
export async function safeUnzip(zipPath: string, outDir: string, limits: UnzipLimits, label: string): Promise<UnzippedFile[]> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(zipPath, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: true });
  } catch (err) {
    throw new InputError(`${label}: not a readable zip archive (${errorText(err)})`, { file: label, rule: 'zip-malformed', cause: err });
  }
  mkdirSync(outDir, { recursive: true });
  const files: UnzippedFile[] = [];
  let bytes = 0;
  let count = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
      const where = `${label} entry "${name}"`;
      const bad = unsafeEntryName(name);
      if (bad !== null) throw new InputError(`${where} ${bad}: refused`, { file: label, rule: 'zip-path-traversal' });
      if (isSymlink(entry)) throw new InputError(`${where} is a symbolic link: refused`, { file: label, rule: 'zip-symlink' });
      if (entry.isEncrypted()) throw new InputError(`${where} is encrypted: not supported`, { file: label, rule: 'zip-encrypted' });
      if (skipped(name)) continue;
      count += 1;
      bytes += entry.uncompressedSize;
      if (count > limits.maxEntries) {
        throw new UploadTooLargeError(`${label}: more than ${limits.maxEntries} files in the archive`, 'zip-too-many-entries');
      }
      if (bytes > limits.maxBytes) {
        throw new UploadTooLargeError(`${label}: more than ${limits.maxBytes} bytes once unpacked`, 'zip-too-large');
      }
      const path = join(outDir, String(count).padStart(6, '0'));
      await pipeline(await zip.openReadStreamPromise(entry), createWriteStream(path, { flags: 'wx' }));
      files.push({ path, entry: name });
    }
  } catch (err) {
    if (err instanceof CsfnetError) throw err;
    throw new InputError(`${label}: damaged zip archive (${errorText(err)})`, { file: label, rule: 'zip-malformed', cause: err });
  } finally {
    zip.close();
  }
  if (files.length === 0) throw new InputError(`${label}: the archive holds no files`, { file: label, rule: 'zip-empty' });
  return files;
}

function isSymlink(entry: Entry): boolean {
  const madeByUnix = entry.versionMadeBy >> 8 === 3;
  return madeByUnix && ((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
