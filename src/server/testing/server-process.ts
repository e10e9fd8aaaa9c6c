import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (dist/src/server/testing/ -> four levels up). */
export const REPO = resolve(fileURLToPath(import.meta.url), '..', '..', '..', '..', '..');

export interface ServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the server wrote to stdout and stderr so far. */
  output(): string;
  /** Sends `signal` (default SIGTERM) and waits for the process to end. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `csfnet serve ARGS` (bin/csfnet.js, the compiled CLI) as a child process on a free
 * loopback port (--port 0 unless ARGS names one) and resolves once it prints where it listens.
 */
export async function startServerProcess(args: readonly string[], timeoutMs = 60_000): Promise<ServerProcess> {
  const full = args.includes('--port') ? [...args] : [...args, '--port', '0'];
  const child = spawn(process.execPath, [join(REPO, 'bin', 'csfnet.js'), 'serve', ...full], { stdio: ['ignore', 'pipe', 'pipe'], cwd: REPO });
  let out = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stdout!.on('data', (s: string) => (out += s));
  child.stderr!.on('data', (s: string) => (out += s));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const check = (): void => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${out}`));
    });
  });
  return {
    url,
    child,
    output: () => out,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Pids of live worker processes the server with data folder `dataDir` started (Linux /proc). */
export function workerPids(dataDir: string): number[] {
  if (!existsSync('/proc')) return [];
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let cmd: string[];
    try {
      cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (cmd.some((a) => a.startsWith('--csfnet-worker=')) && cmd.includes(dataDir)) pids.push(Number(name));
  }
  return pids;
}

/** Authorization header of a token. */
export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

/** Polls GET /api/jobs/{id} until the job is done or failed (or the time is up) and returns its JSON. */
export async function waitForJob(url: string, token: string, jobId: string, timeoutMs = 120_000): Promise<Record<string, unknown>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${url}/api/jobs/${jobId}`, { headers: bearer(token) });
    const job = (await res.json()) as Record<string, unknown>;
    if (job.status === 'done' || job.status === 'failed') return job;
    if (Date.now() > end) throw new Error(`job ${jobId} still ${String(job.status)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
