import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { initBackend } from './backend.js';
import { defaultRegistryPath } from '../store/registry-path.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { InputError } from '../util/errors.js';
import type { SetExitCode } from './commands.js';
import { cvProgress } from './cv-progress.js';
import type { DemoPlan } from './demo-plan.js';
import { DEMO_PLANS, describePlan, planSetup } from './demo-plan.js';
import { formatDuration } from './progress.js';
import { resultJson, resultTable } from './result-table.js';

interface Flags {
  out: string;
  quick?: boolean;
  full?: boolean;
  registry: string;
  json?: boolean;
}

/** Generates the demo cohort unless the same one (same plan and seed) is already there. */
async function ensureCohort(dir: string, plan: DemoPlan, log: (s: string) => void): Promise<void> {
  const marker = join(dir, 'demo-cohort.json');
  const want = JSON.stringify({ subjects: plan.subjects, seed: plan.seed, format: 'mixed' });
  if (existsSync(marker) && readFileSync(marker, 'utf8') === want) {
    log(`reusing the synthetic cohort in ${dir}`);
    return;
  }
  if (existsSync(dir)) throw new InputError(`${dir} exists but holds no demo cohort of this size; choose another --out or remove it`, { file: dir, rule: 'demo-out' });
  const started = Date.now();
  const { synthConfigWith } = await import('../synth/synth-config.js');
  const { generateCohort } = await import('../synth/write-cohort.js');
  await generateCohort(dir, synthConfigWith({ subjects: plan.subjects, format: 'mixed' }), plan.seed, {
    onSubject: (done, total) => {
      if (done % 20 === 0 || done === total) log(`synth: ${done}/${total} subjects (${formatDuration((Date.now() - started) / 1000)})`);
    },
  });
  writeFileAtomic(marker, want);
}

export function register(program: Command, setExit: SetExitCode): void {
  program
    .command('demo')
    .description('the whole job on built-in data: synthesise a follow-up cohort, preprocess it, cross-validate CSF-Net, its ablations and the clinical rules, and write the report')
    .option('--out <dir>', 'working folder (cohort, patches, report)', 'csfnet-demo')
    .option('--quick', `a smaller run (${DEMO_PLANS.quick.subjects} subjects, ${DEMO_PLANS.quick.epochs} epochs; about 3 minutes)`)
    .option('--full', `the larger comparison (${DEMO_PLANS.full.subjects} subjects, ${DEMO_PLANS.full.epochs} epochs; about an hour)`)
    .option('--registry <file>', 'SQLite run registry', defaultRegistryPath())
    .option('--json', 'print one JSON object instead of the table')
    .addHelpText('after', '\nExamples:\n  csfnet demo\n  csfnet demo --quick --out /tmp/demo\n  csfnet runs list\n')
    .action(async (f: Flags) => {
      if (f.quick && f.full) throw new InputError('--quick and --full exclude each other');
      const plan = DEMO_PLANS[f.quick ? 'quick' : f.full ? 'full' : 'default'];
      const out = resolve(f.out);
      const { hooks, progress } = cvProgress(program.opts<{ verbose?: boolean }>().verbose ?? false);
      progress.line(`csfnet demo (${plan.name}): ${describePlan(plan)}`);
      await initBackend(program);
      const { runCrossValidation } = await import('../train/run-cv.js');
      const started = Date.now();
      await ensureCohort(join(out, 'cohort'), plan, (s) => progress.line(s));
      const outcome = await runCrossValidation(
        {
          cohortDir: join(out, 'cohort'),
          storeDir: join(out, 'patches'),
          outDir: join(out, 'report'),
          registryPath: f.registry,
          ...planSetup(plan),
          models: plan.models,
          rules: true,
          title: `csfnet demo (${plan.name}): synthetic cohort of ${plan.subjects} subjects`,
        },
        hooks,
      );
      const took = formatDuration((Date.now() - started) / 1000);
      if (f.json) {
        process.stdout.write(`${JSON.stringify({ plan, run: outcome.runId, seconds: (Date.now() - started) / 1000, report: outcome.files, ...resultJson(outcome.evaluation) })}\n`);
      } else {
        process.stdout.write(`\n${resultTable(outcome.evaluation)}\n\n${plan.name} demo in ${took} (run ${outcome.runId}). Report: ${join(out, 'report', 'report.html')}\n`);
      }
      setExit(0);
    });
}
