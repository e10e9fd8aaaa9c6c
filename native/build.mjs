#!/usr/bin/env node
// Builds the native CPU backend (native/build/Release/csfnet_native.node) with node-gyp against the
// Node headers installed beside this node binary; nothing is downloaded. Run by `npm ci` / `npm
// install` (the package's "install" script) and by `npm run build:native`. It never fails the
// install: on any problem it prints one line saying so and csf-net uses the reference backend.
// CSFNET_SKIP_NATIVE=1 skips the build.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const log = join(here, 'build', 'build.log');

function say(line) {
  process.stderr.write(`csf-net native: ${line}\n`);
}

function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    resolve(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  try {
    candidates.push(createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not installed as a package: fine
  }
  return candidates.find((c) => c && existsSync(c));
}

function findNodeDir() {
  const candidates = [process.env.npm_config_nodedir, resolve(dirname(process.execPath), '..')];
  return candidates.find((d) => d && existsSync(join(d, 'include', 'node', 'node_api.h')) && existsSync(join(d, 'include', 'node', 'common.gypi')));
}

function main() {
  if (process.env.CSFNET_SKIP_NATIVE === '1') {
    say('build skipped (CSFNET_SKIP_NATIVE=1); the reference backend will be used');
    return;
  }
  const gyp = findNodeGyp();
  if (!gyp) {
    say('node-gyp not found (run the build through npm: npm run build:native); the reference backend will be used');
    return;
  }
  const nodedir = findNodeDir();
  if (!nodedir) {
    say(`Node headers not found beside ${process.execPath} (include/node/node_api.h); not downloading them; the reference backend will be used`);
    return;
  }
  const args = [gyp, 'rebuild', `--directory=${here}`, `--nodedir=${nodedir}`, '--jobs=max'];
  const started = Date.now();
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, npm_config_nodedir: nodedir } });
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  const built = join(here, 'build', 'Release', 'csfnet_native.node');
  if (run.status === 0 && existsSync(built)) {
    say(`built ${built} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return;
  }
  try {
    const tmp = `${log}.tmp`;
    writeFileSync(tmp, `node ${args.join(' ')}\n${output}${run.error ? String(run.error) : ''}\n`);
    renameSync(tmp, log);
  } catch {
    // the build folder may not exist: the line below still says what happened
  }
  const lastLine = output.trim().split('\n').filter((l) => l.includes('error')).slice(-1)[0] ?? run.error?.message ?? `exit status ${run.status}`;
  say(`build failed (${lastLine.trim()}); details in ${log}; the reference backend will be used`);
}

try {
  main();
} catch (err) {
  say(`build failed (${err instanceof Error ? err.message : String(err)}); the reference backend will be used`);
}
process.exitCode = 0;
