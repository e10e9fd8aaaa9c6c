import { readFileSync } from 'node:fs';

/** The package version, read once from package.json beside the compiled tree. */
export function version(): string {
  const url = new URL('../../../package.json', import.meta.url);
  const pkg = JSON.parse(readFileSync(url, 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}
