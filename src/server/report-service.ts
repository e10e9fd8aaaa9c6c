import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Registry, type RunRow } from '../store/index.js';
import { NotFoundError } from '../util/errors.js';
import type { ReportDetail, ReportSummary } from './api-types.js';

/** Files of a run's report folder (eval/write-report.ts) that the server hands out. */
const SERVED = /^(report\.html|report\.md|evaluation\.json|predictions\.csv|[a-z0-9][a-z0-9._-]*\.svg)$/;

/**
 * The cross-validation reports of the run registry (src/store), read-only for the viewer: the
 * runs, each run's folds and metrics, and the files of its report folder. The registry file is
 * opened on first use once it exists (training may create it after the server started).
 */
export class ReportService {
  private registry: Registry | null = null;

  constructor(private readonly path: string | null) {}

  /** Whether a registry can be read (a missing or unreadable file is simply no registry). */
  available(): boolean {
    try {
      return this.open() !== null;
    } catch {
      return false;
    }
  }

  list(): ReportSummary[] {
    const registry = this.open();
    return registry === null ? [] : registry.listRuns(200).map(summary);
  }

  detail(id: number): ReportDetail {
    const run = this.required().getRun(id);
    return {
      ...summary(run),
      seed: run.seed,
      code_version: run.codeVersion,
      config: run.config,
      folds: run.folds.map((f) => ({ model: f.model, fold: f.fold, best_epoch: f.bestEpoch, n_train: f.nTrain, n_validation: f.nValidation, n_test: f.nTest, seconds: f.seconds })),
      metrics: run.metrics.map((m) => ({ model: m.model, scope: m.scope, name: m.name, value: m.value, lo: m.lo, hi: m.hi })),
      predictions: run.predictions,
      files: reportFiles(run),
    };
  }

  /** Path of one served file of a run's report folder, or NotFoundError. */
  file(id: number, name: string): string {
    const run = this.required().getRun(id);
    if (!reportFiles(run).includes(name)) throw new NotFoundError(`run ${id} has no report file ${name}`);
    return join(run.reportDir!, name);
  }

  close(): void {
    this.registry?.close();
    this.registry = null;
  }

  private open(): Registry | null {
    if (this.registry === null && this.path !== null && existsSync(this.path)) this.registry = Registry.open(this.path);
    return this.registry;
  }

  private required(): Registry {
    const r = this.open();
    if (r === null) throw new NotFoundError(`no run registry${this.path === null ? '' : ` at ${basename(this.path)}`}`);
    return r;
  }
}

function reportFiles(run: RunRow): string[] {
  if (run.reportDir === null || !existsSync(run.reportDir) || !statSync(run.reportDir).isDirectory()) return [];
  return readdirSync(run.reportDir)
    .filter((n) => SERVED.test(n) && statSync(join(run.reportDir!, n)).isFile())
    .sort();
}

function summary(run: RunRow): ReportSummary {
  return {
    id: run.id,
    kind: run.kind,
    status: run.status,
    cohort: run.cohort === null ? null : basename(run.cohort),
    started_at: run.startedAt,
    finished_at: run.finishedAt,
    error: run.error,
    has_report: reportFiles(run).includes('report.html'),
  };
}
