import { ConfigError, CsfnetError, InputError, NotFoundError } from '../util/errors.js';
import type { IntakeResult, IntakeTask } from './intake-scans.js';
import type { PredictResult, PredictTask } from './predict-study.js';
import { UploadTooLargeError } from './safe-unzip.js';

/** The messages between the server and its worker processes (Node IPC, structured clone). */
export type WorkerTask = IntakeTask | PredictTask;

export interface TaskResults {
  intake: IntakeResult;
  predict: PredictResult;
}

export interface WorkerRequest {
  readonly id: number;
  readonly task: WorkerTask;
}

export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly rule?: string;
  readonly file?: string;
}

export type WorkerReply = { readonly id: number; readonly ok: true; readonly value: unknown } | { readonly id: number; readonly ok: false; readonly error: SerializedError };

/** An error as data, keeping the typed errors' class name, rule and file. */
export function serializeError(err: unknown): SerializedError {
  if (err instanceof InputError) return { name: 'InputError', message: err.message, rule: err.rule, file: err.file };
  if (err instanceof UploadTooLargeError) return { name: 'UploadTooLargeError', message: err.message, rule: err.rule };
  if (err instanceof CsfnetError) return { name: err.name, message: err.message };
  if (err instanceof Error && err.name === 'ShapeError') return { name: 'ShapeError', message: err.message };
  return { name: 'Error', message: err instanceof Error ? err.message : String(err) };
}

/** The typed error back from its data (an unknown class becomes a plain Error: an internal failure). */
export function reviveError(e: SerializedError): Error {
  switch (e.name) {
    case 'InputError':
    case 'ShapeError':
      return new InputError(e.message, { file: e.file, rule: e.rule ?? (e.name === 'ShapeError' ? 'shape' : undefined) });
    case 'UploadTooLargeError':
      return new UploadTooLargeError(e.message, e.rule ?? 'too-large');
    case 'ConfigError':
      return new ConfigError(e.message);
    case 'NotFoundError':
      return new NotFoundError(e.message);
    default:
      return new Error(e.message);
  }
}
