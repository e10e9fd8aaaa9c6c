/**
 * Typed errors shared by every layer above the engine. The CLI maps them to exit codes with a
 * one-line message and the server to HTTP statuses; neither shows a stack trace unless asked.
 */
export class CsfnetError extends Error {
  /** Process exit code the CLI uses for this class of failure. */
  readonly exitCode: number = 2;
  /** HTTP status the server answers with. */
  readonly httpStatus: number = 400;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Something the user handed over (a flag, a file, a CSV cell) breaks a rule. */
export class InputError extends CsfnetError {
  /** The file the problem is in, when there is one. */
  readonly file: string | undefined;
  /** Short name of the rule that was broken (e.g. "truncated-pixel-data"). */
  readonly rule: string | undefined;

  constructor(message: string, options?: { file?: string; rule?: string; cause?: unknown }) {
    super(message, options);
    this.file = options?.file;
    this.rule = options?.rule;
  }
}

/** A configuration (variant, stages, options, checkpoint metadata) is inconsistent. */
export class ConfigError extends CsfnetError {}

/** A resource the user asked for does not exist (a run, a subject, a checkpoint). */
export class NotFoundError extends CsfnetError {
  override readonly httpStatus = 404;
}
