import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Test helper: runs a Python 3 script with the Debian packages python3-pydicom and python3-nibabel
 * (installed by .ci/run), which give tests an independent implementation to compare against.
 * /usr/bin/python3 is preferred because a pyenv or venv `python3` on PATH usually lacks them.
 * Returns stdout; a failing script throws with its stderr.
 */
export function runPython(script: string, args: readonly string[] = []): string {
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  return execFileSync(python, ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}
