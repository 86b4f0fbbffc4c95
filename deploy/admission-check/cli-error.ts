// An error that stops a subcommand before it decides anything, with its catalogue code:
// printed as one line, `admission-check: CODE: message`, exit 2.
import type { ErrorCode } from '../../functions/core/index.js';

export class CliError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CliError';
  }
}
