import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runConvBench } from './conv3d-bench.js';
import { runKernelProfile } from './kernel-profile.js';
import { VARIANTS } from '../src/model/variants.js';
import type { VariantName } from '../src/model/variants.js';

/**
 * `npm run bench` (node dist/bench/run.js): the benchmarks of csf-net, each printing JSON on stdout.
 * The usage text below is the documentation; `npm run bench -- --help` prints it.
 */
const USAGE = `npm run bench -- [conv|model|profile|all] [options]

  conv   (default) conv3d micro-benchmark: forward, backward-data and backward-weight of every
         distinct conv shape of the paper-size CSF-Net at batch 4, in GFLOP/s, on the native
         backend; the reference TypeScript backend as the baseline (one sample, shapes up to
         --reference-max-gflop); with --compare-pytorch the same shapes through PyTorch
         (bench/torch_conv3d.py, /usr/bin/python3) and the speed-ups.
  model  the whole model, in its own process: bin/csfnet.js bench --json [--compare-pytorch]
         (training and inference subjects/s, peak RSS; PyTorch from ../shared/reference/csfnet_ref.py)
  profile  kernel profile of training on the native backend: median wall time of an Adam step
         of --variant (default paper; small for the 20-epoch budget) at --batch, then the same
         steps with every kernel call timed, grouped by kernel and shape, and the time outside
         the kernels; the 1-minute load average before and after
  all    conv and model, as {"conv": ..., "model": ...}

options:
  --compare-pytorch          run PyTorch beside (needs /usr/bin/python3 with torch)
  --threads N                threads for native and PyTorch (default CSFNET_THREADS, else all cores)
  --reps N                   timed repetitions per conv pass, median reported (default 5)
  --isa avx512|avx2|portable cap the native instruction set (conv)
  --filter TEXT              only conv shapes whose name contains TEXT
  --no-reference             skip the reference-backend baseline (conv)
  --reference-max-gflop X    largest per-sample pass timed on the reference backend (default 0.6)
  --no-direct                every convolution through the GEMM paths (conv, profile): the
                             direct small-channel kernels switched off, for comparison
  --addon PATH               profile another build of the addon (e.g. native/build/Release/
                             csfnet_native.node of an older commit built in another checkout)
  --variant V --batch B --steps S   model and profile (defaults paper, 4, 3)

The same measurements by hand:
  node dist/bench/run.js conv --compare-pytorch --threads 2
  node dist/bench/run.js profile --variant small --steps 8
  ./bin/csfnet.js bench --variant paper --batch 4 --compare-pytorch --json
`;

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function main(): number {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      help: { type: 'boolean' },
      'compare-pytorch': { type: 'boolean' },
      threads: { type: 'string' },
      reps: { type: 'string', default: '5' },
      isa: { type: 'string' },
      filter: { type: 'string' },
      'no-reference': { type: 'boolean' },
      'no-direct': { type: 'boolean' },
      addon: { type: 'string' },
      'reference-max-gflop': { type: 'string', default: '0.6' },
      variant: { type: 'string', default: 'paper' },
      batch: { type: 'string', default: '4' },
      steps: { type: 'string', default: '3' },
    },
  });
  if (values.help === true) {
    process.stdout.write(USAGE);
    return 0;
  }
  const what = positionals[0] ?? 'conv';
  if (!['conv', 'model', 'profile', 'all'].includes(what)) {
    process.stderr.write(`bench: unknown benchmark ${what}\n${USAGE}`);
    return 2;
  }
  const envThreads = Number(process.env.CSFNET_THREADS);
  const threads = values.threads !== undefined ? Number(values.threads) : Number.isInteger(envThreads) && envThreads > 0 ? envThreads : availableParallelism();
  const out: Record<string, unknown> = {};
  if (what === 'conv' || what === 'all') {
    out.conv = runConvBench({
      threads,
      reps: Number(values.reps),
      pytorch: values['compare-pytorch'] === true,
      reference: values['no-reference'] !== true,
      referenceMaxGflop: Number(values['reference-max-gflop']),
      direct: values['no-direct'] !== true,
      ...(values.isa !== undefined ? { isa: values.isa } : {}),
      ...(values.filter !== undefined ? { filter: values.filter } : {}),
    });
  }
  if (what === 'profile') {
    if (!Object.keys(VARIANTS).includes(values.variant!)) {
      process.stderr.write(`bench: unknown variant ${values.variant}\n`);
      return 2;
    }
    out.profile = runKernelProfile({
      variant: values.variant as VariantName,
      batch: Number(values.batch),
      steps: Number(values.steps),
      threads,
      direct: values['no-direct'] !== true,
      seed: 0,
      ...(values.isa !== undefined ? { isa: values.isa } : {}),
      ...(values.addon !== undefined ? { addon: resolve(values.addon) } : {}),
    });
  }
  if (what === 'model' || what === 'all') {
    const args = [resolve(REPO, 'bin', 'csfnet.js'), 'bench', '--json', '--threads', String(threads), '--variant', values.variant!, '--batch', values.batch!, '--steps', values.steps!];
    if (values['compare-pytorch'] === true) args.push('--compare-pytorch');
    const run = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (run.status !== 0) {
      process.stderr.write(`bench: csfnet bench exited with ${run.status}\n`);
      return 1;
    }
    out.model = JSON.parse(run.stdout) as unknown;
  }
  process.stdout.write(`${JSON.stringify(what === 'all' ? out : out[what])}\n`);
  return 0;
}

process.exitCode = main();
