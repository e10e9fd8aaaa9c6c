import Database from 'better-sqlite3';
import { NotFoundError } from '../util/errors.js';
import type { JobStatus, JobView, ScanInfo, StudyResult, StudySource } from './api-types.js';
import type { StudyInput } from './study-input.js';

/**
 * The server's own SQLite file (data/server.db): studies and their prediction jobs, so that both
 * survive a restart. Only the server's main process opens it (the workers report back to it).
 *
 * Durability: WAL with synchronous FULL, every change one statement or one transaction, so a
 * kill -9 loses nothing that was acknowledged. A job found "running" when the server starts was
 * interrupted: recoverInterrupted() queues it again while it has attempts left and marks it failed
 * otherwise, so no job is ever left running or lost.
 */
export interface StudyRecord {
  id: string;
  label: string;
  createdAt: string;
  source: StudySource;
  input: StudyInput;
  scans: { t0: ScanInfo; t1: ScanInfo };
}

export interface JobRecord {
  id: string;
  studyId: string;
  status: JobStatus;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  attempts: number;
  error: { message: string; rule?: string } | null;
  result: StudyResult | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS studies (
  id TEXT PRIMARY KEY,
  seq INTEGER NOT NULL UNIQUE,
  label TEXT NOT NULL,
  created_at TEXT NOT NULL,
  source TEXT NOT NULL,
  input TEXT NOT NULL,
  scans TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS jobs (
  id TEXT PRIMARY KEY,
  seq INTEGER NOT NULL UNIQUE,
  study_id TEXT NOT NULL REFERENCES studies(id),
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
  created_at TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  result TEXT
);
CREATE INDEX IF NOT EXISTS jobs_status ON jobs(status, seq);
CREATE INDEX IF NOT EXISTS jobs_study ON jobs(study_id, seq);
`;

type Row = Record<string, unknown>;

const now = (): string => new Date().toISOString();

export class JobStore {
  private constructor(private readonly db: Database.Database) {}

  /** Opens (creating if needed) the store at `path`. */
  static open(path: string): JobStore {
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.exec(SCHEMA);
    db.pragma('user_version = 1');
    return new JobStore(db);
  }

  /** Adds a study and its first (queued) job in one transaction. */
  addStudyWithJob(study: StudyRecord, jobId: string): void {
    this.db.transaction(() => {
      this.db
        .prepare(`INSERT INTO studies (id, seq, label, created_at, source, input, scans) VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM studies), ?, ?, ?, ?, ?)`)
        .run(study.id, study.label, study.createdAt, JSON.stringify(study.source), JSON.stringify(study.input), JSON.stringify(study.scans));
      this.insertJob(jobId, study.id);
    })();
  }

  /** Queues another prediction of an existing study. */
  addJob(jobId: string, studyId: string): void {
    this.getStudy(studyId);
    this.insertJob(jobId, studyId);
  }

  private insertJob(jobId: string, studyId: string): void {
    this.db
      .prepare(`INSERT INTO jobs (id, seq, study_id, status, created_at) VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM jobs), ?, 'queued', ?)`)
      .run(jobId, studyId, now());
  }

  /** Takes the oldest queued job and marks it running (one statement: two callers never get the same job). */
  claimNext(): JobRecord | null {
    const row = this.db
      .prepare(
        `UPDATE jobs SET status = 'running', started_at = ?, attempts = attempts + 1
         WHERE id = (SELECT id FROM jobs WHERE status = 'queued' ORDER BY seq LIMIT 1) RETURNING *`,
      )
      .get(now()) as Row | undefined;
    return row ? toJob(row) : null;
  }

  finish(jobId: string, result: StudyResult): void {
    this.db.prepare(`UPDATE jobs SET status = 'done', finished_at = ?, result = ?, error = NULL WHERE id = ?`).run(now(), JSON.stringify(result), jobId);
  }

  fail(jobId: string, error: { message: string; rule?: string }): void {
    this.db.prepare(`UPDATE jobs SET status = 'failed', finished_at = ?, error = ? WHERE id = ?`).run(now(), JSON.stringify(error), jobId);
  }

  /** Puts a running job back in the queue without counting its attempt (the server is stopping). */
  requeue(jobId: string): void {
    this.db.prepare(`UPDATE jobs SET status = 'queued', started_at = NULL, attempts = MAX(attempts - 1, 0) WHERE id = ? AND status = 'running'`).run(jobId);
  }

  /**
   * Jobs left "running" by a server that stopped without finishing them: queued again while
   * attempts < maxAttempts, else failed with the reason. Returns what was done to each.
   */
  recoverInterrupted(maxAttempts: number): { requeued: string[]; failed: string[] } {
    const requeued: string[] = [];
    const failed: string[] = [];
    this.db.transaction(() => {
      const rows = this.db.prepare(`SELECT id, attempts FROM jobs WHERE status = 'running' ORDER BY seq`).all() as Array<{ id: string; attempts: number }>;
      for (const r of rows) {
        if (r.attempts < maxAttempts) {
          this.db.prepare(`UPDATE jobs SET status = 'queued', started_at = NULL WHERE id = ?`).run(r.id);
          requeued.push(r.id);
        } else {
          const message = `the server stopped while this job ran (${r.attempts} attempt${r.attempts === 1 ? '' : 's'}, at most ${maxAttempts}); it was not run again`;
          this.fail(r.id, { message, rule: 'interrupted' });
          failed.push(r.id);
        }
      }
    })();
    return { requeued, failed };
  }

  getJob(id: string): JobRecord {
    const row = this.db.prepare(`SELECT * FROM jobs WHERE id = ?`).get(id) as Row | undefined;
    if (!row) throw new NotFoundError(`job ${id} not found`);
    return toJob(row);
  }

  getStudy(id: string): StudyRecord {
    const row = this.db.prepare(`SELECT * FROM studies WHERE id = ?`).get(id) as Row | undefined;
    if (!row) throw new NotFoundError(`study ${id} not found`);
    return toStudy(row);
  }

  /** A study's jobs, oldest first. */
  jobsOf(studyId: string): JobRecord[] {
    return (this.db.prepare(`SELECT * FROM jobs WHERE study_id = ? ORDER BY seq`).all(studyId) as Row[]).map(toJob);
  }

  /** Studies, newest first, each with its latest job. */
  listStudies(limit: number): Array<{ study: StudyRecord; job: JobRecord }> {
    const rows = this.db
      .prepare(
        `SELECT s.*, j.id AS j_id FROM studies s
         JOIN jobs j ON j.id = (SELECT id FROM jobs WHERE study_id = s.id ORDER BY seq DESC LIMIT 1)
         ORDER BY s.seq DESC LIMIT ?`,
      )
      .all(limit) as Row[];
    return rows.map((r) => ({ study: toStudy(r), job: this.getJob(String(r.j_id)) }));
  }

  /** Every study id (for the start-up sweep of folders without a study). */
  studyIds(): Set<string> {
    return new Set((this.db.prepare(`SELECT id FROM studies`).all() as Array<{ id: string }>).map((r) => r.id));
  }

  counts(): Record<JobStatus, number> {
    const out: Record<JobStatus, number> = { queued: 0, running: 0, done: 0, failed: 0 };
    for (const r of this.db.prepare(`SELECT status, COUNT(*) AS n FROM jobs GROUP BY status`).all() as Array<{ status: JobStatus; n: number }>) {
      out[r.status] = r.n;
    }
    return out;
  }

  close(): void {
    this.db.close();
  }
}

const json = <T>(v: unknown): T | null => (v === null || v === undefined ? null : (JSON.parse(String(v)) as T));
const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function toJob(r: Row): JobRecord {
  return {
    id: String(r.id),
    studyId: String(r.study_id),
    status: String(r.status) as JobStatus,
    createdAt: String(r.created_at),
    startedAt: text(r.started_at),
    finishedAt: text(r.finished_at),
    attempts: Number(r.attempts),
    error: json<{ message: string; rule?: string }>(r.error),
    result: json<StudyResult>(r.result),
  };
}

function toStudy(r: Row): StudyRecord {
  return {
    id: String(r.id),
    label: String(r.label),
    createdAt: String(r.created_at),
    source: json<StudySource>(r.source)!,
    input: json<StudyInput>(r.input)!,
    scans: json<{ t0: ScanInfo; t1: ScanInfo }>(r.scans)!,
  };
}

/** The API view of a job record. */
export function jobView(j: JobRecord): JobView {
  return {
    id: j.id,
    study_id: j.studyId,
    status: j.status,
    created_at: j.createdAt,
    started_at: j.startedAt,
    finished_at: j.finishedAt,
    attempts: j.attempts,
    error: j.error,
    result: j.result,
  };
}
