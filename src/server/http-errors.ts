import { HTTPException } from 'hono/http-exception';
import { CsfnetError, InputError } from '../util/errors.js';
import type { ErrorBody } from './api-types.js';
import { UploadTooLargeError } from './safe-unzip.js';

/** A request without the right bearer token. */
export class UnauthorizedError extends CsfnetError {
  override readonly httpStatus = 401;
}

/** An upload over the configured size. */
export class PayloadTooLargeError extends CsfnetError {
  override readonly httpStatus = 413;
}

export interface ErrorResponse {
  readonly status: number;
  readonly body: ErrorBody;
  /** For the log: the rule, or the error class; never the message (it may quote upload content). */
  readonly rule: string;
}

/**
 * The HTTP answer to an error: the typed errors of util/errors.ts carry their status (InputError
 * 400 with its rule and the field or file it names, NotFoundError 404, ...); anything else is a 500
 * whose message is not shown, since it was not written for a user.
 */
export function errorResponse(err: unknown): ErrorResponse {
  if (err instanceof CsfnetError) {
    const rule = err instanceof InputError || err instanceof UploadTooLargeError ? err.rule : undefined;
    const where = err instanceof InputError ? err.file : undefined;
    const status = err.httpStatus;
    const body: ErrorBody = { error: { status, message: err.message, ...(rule ? { rule } : {}), ...(where ? { where } : {}) } };
    return { status, body, rule: rule ?? err.name };
  }
  if (err instanceof HTTPException) {
    return { status: err.status, body: { error: { status: err.status, message: err.message || 'request refused' } }, rule: `http-${err.status}` };
  }
  return { status: 500, body: { error: { status: 500, message: 'internal server error (see the server log)' } }, rule: err instanceof Error ? err.name : 'internal' };
}
