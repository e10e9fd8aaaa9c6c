import { Command, CommanderError } from 'commander';
import { CsfnetError } from '../util/errors.js';
import { registerCommands } from './commands.js';
import { version } from './version.js';

/** Exit codes of every csfnet command. */
export const EXIT = { ok: 0, failure: 1, usage: 2, partial: 3 } as const;

/**
 * Runs the csfnet command line and returns the process exit code. Errors become one line on
 * stderr (with the stack under --verbose); commands return their own code (e.g. 3 = partial).
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('csfnet')
    .description('CSF-Net: lung nodule malignancy from follow-up chest CT and clinical data')
    .version(version(), '-V, --version')
    .option('--verbose', 'print stack traces and details of skipped items')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  let code: number = EXIT.ok;
  registerCommands(program, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    return reportError(err, argv.includes('--verbose'));
  }
}

function reportError(err: unknown, verbose: boolean): number {
  if (err instanceof CommanderError) {
    // help and version exit through here with code 0; usage errors were already printed.
    return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (verbose && err instanceof Error) {
    process.stderr.write(`${err.stack ?? err.message}\n`);
  }
  if (err instanceof CsfnetError) {
    process.stderr.write(`csfnet: ${err.message}\n`);
    return err.exitCode;
  }
  if (err instanceof Error && err.name === 'ShapeError') {
    process.stderr.write(`csfnet: ${err.message}\n`);
    return EXIT.usage;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`csfnet: unexpected error: ${message}${verbose ? '' : ' (run with --verbose for details)'}\n`);
  return EXIT.failure;
}
