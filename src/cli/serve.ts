import { availableParallelism, homedir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { defaultRegistryPath } from '../store/registry-path.js';
import { InputError } from '../util/errors.js';
import type { SetExitCode } from './commands.js';
import { version } from './version.js';

const Flags = z.object({
  host: z.string().min(1),
  port: z.coerce.number().int().min(0).max(65535),
  data: z.string().min(1).optional(),
  checkpoint: z.string().min(1).optional(),
  token: z.string().optional(),
  maxUploadMb: z.coerce.number().positive().max(65536),
  workers: z.coerce.number().int().min(1).max(256),
  jobTimeoutS: z.coerce.number().positive().max(86400),
  jobAttempts: z.coerce.number().int().min(1).max(10),
  cohort: z.array(z.string().min(1)),
  registry: z.string().min(1).optional(),
});

/** Default data folder: $CSFNET_HOME/server, else ~/.csfnet/server. */
function defaultDataDir(): string {
  return join(process.env.CSFNET_HOME ?? join(homedir(), '.csfnet'), 'server');
}

/**
 * `csfnet serve`: the HTTP API and web viewer (src/server). Prints where it listens and, at the
 * first start only, the token (stored owner-only in the data folder); then one JSON log line per
 * event on stdout. SIGINT / SIGTERM stop it cleanly (running jobs go back to the queue).
 */
export function register(program: Command, _setExit: SetExitCode): void {
  program
    .command('serve')
    .description('HTTP server and web viewer: upload two scans, see the nodule, its growth, the prediction and why')
    .option('--host <host>', 'address to listen on (loopback by default)', '127.0.0.1')
    .option('--port <port>', 'port (0 picks a free one)', '8080')
    .option('--data <dir>', 'data folder: studies, job database, token (default $CSFNET_HOME/server or ~/.csfnet/server)')
    .option('--checkpoint <file>', 'CSF-Net checkpoint (safetensors); without it, everything but the network prediction')
    .option('--token <token>', 'bearer token to require (default: made at the first start and stored in the data folder)')
    .option('--max-upload-mb <mb>', 'largest upload (both scans together), MiB', '1024')
    .option('--workers <n>', 'prediction worker processes, one job each at a time', String(availableParallelism()))
    .option('--job-timeout-s <s>', 'a job running longer is stopped and marked failed', '900')
    .option('--job-attempts <n>', 'starts of a job interrupted by server stops before it is marked failed', '2')
    .option('--cohort <dir>', 'a cohort folder whose subjects can be predicted (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--registry <file>', 'run registry whose cross-validation reports are shown (default $CSFNET_REGISTRY or ~/.csfnet/registry.db)')
    .action(async (raw: Record<string, unknown>) => {
      const parsed = Flags.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new InputError(`serve: --${String(issue.path[0] ?? '')}: ${issue.message}`, { rule: 'flag' });
      }
      const o = parsed.data;
      const dataDir = o.data ?? defaultDataDir();
      const { startServer } = await import('../server/index.js');
      const server = await startServer({
        host: o.host,
        port: o.port,
        dataDir,
        checkpoint: o.checkpoint ?? null,
        token: o.token ?? null,
        maxUploadBytes: Math.round(o.maxUploadMb * 1024 * 1024),
        workers: o.workers,
        jobTimeoutMs: o.jobTimeoutS * 1000,
        maxAttempts: o.jobAttempts,
        cohorts: o.cohort,
        registry: o.registry ?? defaultRegistryPath(),
        version: version(),
        log: (line) => process.stdout.write(`${line}\n`),
      });
      const out = (line: string): boolean => process.stdout.write(`${line}\n`);
      out(`csfnet serve: listening on ${server.url} (data ${dataDir})`);
      if (server.token.created) {
        out(`csfnet serve: new API token, shown this once (stored owner-only in ${server.token.file}): ${server.token.token}`);
        out(`csfnet serve: open ${server.url}/#token=${server.token.token}`);
      } else {
        out(`csfnet serve: token ${server.token.file === null ? 'from --token' : `in ${server.token.file}`}; open ${server.url}/ and enter it`);
      }
      if (o.host !== '127.0.0.1' && o.host !== '::1' && o.host !== 'localhost') {
        out(`csfnet serve: warning: listening on ${o.host}, not loopback: plain HTTP, use it only behind TLS`);
      }
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      out('csfnet serve: stopping');
      await server.close();
    });
}
