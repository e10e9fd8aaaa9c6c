import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { NotFoundError } from '../util/errors.js';
import { SCHEMA, SCHEMA_VERSION } from './schema.js';

export type RunStatus = 'running' | 'done' | 'failed' | 'crashed';

export interface RunRow {
  id: number;
  kind: string;
  status: RunStatus;
  config: unknown;
  codeVersion: string;
  seed: number;
  cohort: string | null;
  reportDir: string | null;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
}

export interface FoldRow {
  model: string;
  fold: number;
  bestEpoch: number | null;
  nTrain: number;
  nValidation: number;
  nTest: number;
  seconds: number | null;
}

export interface EpochRow {
  model: string;
  fold: number;
  epoch: number;
  trainLoss: number | null;
  valLoss: number | null;
  valAuc: number | null;
  lr: number | null;
  seconds: number | null;
}

export interface MetricRow {
  model: string;
  scope: string;
  name: string;
  value: number | null;
  lo: number | null;
  hi: number | null;
}

export interface PredictionRow {
  model: string;
  fold: number;
  subjectId: string;
  label: number;
  score: number;
}

export interface RunDetail extends RunRow {
  folds: FoldRow[];
  metrics: MetricRow[];
  predictions: number;
  epochs: number;
}

/** NaN and infinities are stored as NULL (SQLite has no NaN). */
const num = (v: number | null | undefined): number | null => (v === null || v === undefined || !Number.isFinite(v) ? null : v);

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The run registry: a SQLite file of cross-validation and training runs, their folds, per-epoch
 * metrics, out-of-fold predictions and summary metrics. Opening it marks as crashed every run of
 * this host still "running" whose process is gone, so no run stays running forever.
 */
export class Registry {
  private constructor(private readonly db: Database.Database) {}

  static open(path: string): Registry {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.exec(SCHEMA);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
    const registry = new Registry(db);
    registry.markCrashed();
    return registry;
  }

  private markCrashed(): void {
    const running = this.db.prepare(`SELECT id, pid FROM runs WHERE status = 'running' AND host = ?`).all(hostname()) as Array<{ id: number; pid: number }>;
    const mark = this.db.prepare(`UPDATE runs SET status = 'crashed', finished_at = ?, error = ? WHERE id = ?`);
    for (const r of running) {
      if (r.pid !== process.pid && !isAlive(r.pid)) mark.run(new Date().toISOString(), `process ${r.pid} ended without finishing the run`, r.id);
    }
  }

  startRun(run: { kind: string; config: unknown; codeVersion: string; seed: number; cohort?: string | null }): number {
    const info = this.db
      .prepare(`INSERT INTO runs (kind, status, config, code_version, seed, cohort, started_at, pid, host) VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?)`)
      .run(run.kind, JSON.stringify(run.config), run.codeVersion, run.seed, run.cohort ?? null, new Date().toISOString(), process.pid, hostname());
    return Number(info.lastInsertRowid);
  }

  finishRun(id: number, outcome: { status: 'done' | 'failed'; error?: string; reportDir?: string }): void {
    this.db
      .prepare(`UPDATE runs SET status = ?, finished_at = ?, error = ?, report_dir = COALESCE(?, report_dir) WHERE id = ?`)
      .run(outcome.status, new Date().toISOString(), outcome.error ?? null, outcome.reportDir ?? null, id);
  }

  addFold(runId: number, f: FoldRow): void {
    this.db
      .prepare(`INSERT OR REPLACE INTO folds VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(runId, f.model, f.fold, f.bestEpoch, f.nTrain, f.nValidation, f.nTest, num(f.seconds));
  }

  addEpoch(runId: number, e: EpochRow): void {
    this.db
      .prepare(`INSERT OR REPLACE INTO epochs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(runId, e.model, e.fold, e.epoch, num(e.trainLoss), num(e.valLoss), num(e.valAuc), num(e.lr), num(e.seconds));
  }

  addPredictions(runId: number, rows: readonly PredictionRow[]): void {
    const insert = this.db.prepare(`INSERT OR REPLACE INTO predictions VALUES (?, ?, ?, ?, ?, ?)`);
    this.db.transaction(() => {
      for (const p of rows) insert.run(runId, p.model, p.fold, p.subjectId, p.label, p.score);
    })();
  }

  addMetrics(runId: number, rows: readonly MetricRow[]): void {
    const insert = this.db.prepare(`INSERT OR REPLACE INTO metrics VALUES (?, ?, ?, ?, ?, ?, ?)`);
    this.db.transaction(() => {
      for (const m of rows) insert.run(runId, m.model, m.scope, m.name, num(m.value), num(m.lo), num(m.hi));
    })();
  }

  listRuns(limit = 50): RunRow[] {
    const rows = this.db.prepare(`SELECT * FROM runs ORDER BY id DESC LIMIT ?`).all(limit) as Array<Record<string, unknown>>;
    return rows.map(toRun);
  }

  getRun(id: number): RunDetail {
    const row = this.db.prepare(`SELECT * FROM runs WHERE id = ?`).get(id) as Record<string, unknown> | undefined;
    if (!row) throw new NotFoundError(`run ${id} is not in the registry`);
    const folds = (this.db.prepare(`SELECT * FROM folds WHERE run_id = ? ORDER BY model, fold`).all(id) as Array<Record<string, unknown>>).map((f) => ({
      model: String(f.model),
      fold: Number(f.fold),
      bestEpoch: f.best_epoch === null ? null : Number(f.best_epoch),
      nTrain: Number(f.n_train),
      nValidation: Number(f.n_validation),
      nTest: Number(f.n_test),
      seconds: f.seconds === null ? null : Number(f.seconds),
    }));
    const metrics = this.db.prepare(`SELECT model, scope, name, value, lo, hi FROM metrics WHERE run_id = ? ORDER BY model, scope, name`).all(id) as MetricRow[];
    const count = (table: string): number => Number((this.db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE run_id = ?`).get(id) as { n: number }).n);
    return { ...toRun(row), folds, metrics, predictions: count('predictions'), epochs: count('epochs') };
  }

  predictions(runId: number): PredictionRow[] {
    return (this.db.prepare(`SELECT model, fold, subject_id AS subjectId, label, score FROM predictions WHERE run_id = ? ORDER BY model, subject_id`).all(runId) as PredictionRow[]);
  }

  epochs(runId: number): EpochRow[] {
    return (this.db
      .prepare(`SELECT model, fold, epoch, train_loss AS trainLoss, val_loss AS valLoss, val_auc AS valAuc, lr, seconds FROM epochs WHERE run_id = ? ORDER BY model, fold, epoch`)
      .all(runId) as EpochRow[]);
  }

  close(): void {
    this.db.close();
  }
}

function toRun(r: Record<string, unknown>): RunRow {
  return {
    id: Number(r.id),
    kind: String(r.kind),
    status: r.status as RunStatus,
    config: JSON.parse(String(r.config)) as unknown,
    codeVersion: String(r.code_version),
    seed: Number(r.seed),
    cohort: r.cohort === null ? null : String(r.cohort),
    reportDir: r.report_dir === null ? null : String(r.report_dir),
    startedAt: String(r.started_at),
    finishedAt: r.finished_at === null ? null : String(r.finished_at),
    error: r.error === null ? null : String(r.error),
  };
}
