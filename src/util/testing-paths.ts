import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this compiled file (dist/src/util/ -> three levels up). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** A path inside ../shared (reference material beside the repository, in CI too). */
export function sharedPath(relative: string): string {
  return resolve(REPO_ROOT, '..', 'shared', relative);
}
