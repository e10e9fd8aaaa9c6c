import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import { ConfigError } from '../util/errors.js';

export interface ServerToken {
  readonly token: string;
  /** True when this start made the token (the CLI prints it, this once). */
  readonly created: boolean;
  /** Where it is stored; null when it came from --token. */
  readonly file: string | null;
}

const TOKEN_PATTERN = /^[A-Za-z0-9._~+/=-]{16,512}$/;

/**
 * The bearer token every /api route but health requires. A token given on the command line is used
 * as it is (16 to 512 URL-safe characters). Otherwise the token stored in `dataDir/token` is used,
 * and at the first start one is made: 32 random bytes (crypto.randomBytes), base64url, written
 * atomically into the owner-only data folder and then set to mode 0600. A stored token file that
 * others may read has its mode tightened to 0600.
 */
export function resolveToken(dataDir: string, given: string | null): ServerToken {
  if (given !== null) {
    if (!TOKEN_PATTERN.test(given)) throw new ConfigError('--token: the token must be 16 to 512 characters of A-Z a-z 0-9 . _ ~ + / = -');
    return { token: given, created: false, file: null };
  }
  const file = join(dataDir, 'token');
  if (existsSync(file)) {
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    const token = readFileSync(file, 'utf8').trim();
    if (!TOKEN_PATTERN.test(token)) throw new ConfigError(`${file}: the stored token is malformed; delete the file to make a new one`);
    return { token, created: false, file };
  }
  const token = randomBytes(32).toString('base64url');
  writeFileAtomic(file, `${token}\n`);
  chmodSync(file, 0o600);
  return { token, created: true, file };
}

/** Compares a presented token with the server's in constant time (no timing hint of a partial match). */
export function tokenMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}
