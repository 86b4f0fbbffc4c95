// A policy that does not load: the message names the file, and the rule or path.
import type { ErrorCode } from '../error-catalogue.js';

export class PolicyError extends Error {
  readonly code = 'POLICY_INVALID' satisfies ErrorCode;
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super(`invalid policy ${file}: ${message}`, options);
    this.name = 'PolicyError';
  }
}

/** A policy file that could not be read, named by the system error's code (ENOENT, EACCES). */
export function unreadablePolicy(file: string, error: unknown): PolicyError {
  const code = error instanceof Error && 'code' in error ? String(error.code) : 'error';
  return new PolicyError(file, `cannot read it (${code})`, { cause: error });
}
