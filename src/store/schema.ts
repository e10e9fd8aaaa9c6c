/**
 * The registry's tables (SQLite). One row per run; its folds, per-epoch metrics, every
 * out-of-fold prediction and the summary metrics hang off the run id. `user_version` records the
 * schema so a later change can migrate old files.
 */
export const SCHEMA_VERSION = 1;

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'crashed')),
  config TEXT NOT NULL,
  code_version TEXT NOT NULL,
  seed INTEGER NOT NULL,
  cohort TEXT,
  report_dir TEXT,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  error TEXT,
  pid INTEGER NOT NULL,
  host TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS folds (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  model TEXT NOT NULL,
  fold INTEGER NOT NULL,
  best_epoch INTEGER,
  n_train INTEGER NOT NULL,
  n_validation INTEGER NOT NULL,
  n_test INTEGER NOT NULL,
  seconds REAL,
  PRIMARY KEY (run_id, model, fold)
);
CREATE TABLE IF NOT EXISTS epochs (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  model TEXT NOT NULL,
  fold INTEGER NOT NULL,
  epoch INTEGER NOT NULL,
  train_loss REAL,
  val_loss REAL,
  val_auc REAL,
  lr REAL,
  seconds REAL,
  PRIMARY KEY (run_id, model, fold, epoch)
);
CREATE TABLE IF NOT EXISTS predictions (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  model TEXT NOT NULL,
  fold INTEGER NOT NULL,
  subject_id TEXT NOT NULL,
  label INTEGER NOT NULL,
  score REAL NOT NULL,
  PRIMARY KEY (run_id, model, subject_id)
);
CREATE TABLE IF NOT EXISTS metrics (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  model TEXT NOT NULL,
  scope TEXT NOT NULL,
  name TEXT NOT NULL,
  value REAL,
  lo REAL,
  hi REAL,
  PRIMARY KEY (run_id, model, scope, name)
);
`;
