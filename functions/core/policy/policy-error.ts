// A policy that does not load: the message names the file, and the rule or path.
import type { ErrorCode } from '../error-catalogue.js';

export type PolicyErrorCode = Extract<ErrorCode, 'POLICY_INVALID' | 'POLICY_TOO_LARGE'>;

/**
 * The largest policy file read, in bytes. Real policies are a few KiB; the cap keeps a
 * wrong file (a log, an image) from being read into memory and parsed at start-up.
 */
export const maxPolicyBytes = 1_048_576;

/** The most YAML aliases a policy file may expand: enough for shared match blocks, not for an alias bomb. */
export const maxPolicyAliases = 50;

export class PolicyError extends Error {
  readonly code: PolicyErrorCode;
  constructor(file: string, message: string, options?: { cause?: unknown; code?: PolicyErrorCode }) {
    super(`invalid policy ${file}: ${message}`, options);
    this.name = 'PolicyError';
    this.code = options?.code ?? 'POLICY_INVALID';
  }
}

/** A policy file that could not be read, named by the system error's code (ENOENT, EACCES). */
export function unreadablePolicy(file: string, error: unknown): PolicyError {
  const code = error instanceof Error && 'code' in error ? String(error.code) : 'error';
  return new PolicyError(file, `cannot read it (${code})`, { cause: error });
}

/** A policy file over maxPolicyBytes, refused before it is parsed. */
export function oversizedPolicy(file: string): PolicyError {
  return new PolicyError(file, `the file is over ${maxPolicyBytes} bytes`, { code: 'POLICY_TOO_LARGE' });
}
