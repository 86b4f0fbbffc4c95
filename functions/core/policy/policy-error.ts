// A policy that does not load: the message names the file, and the rule or path.
export class PolicyError extends Error {
  readonly code = 'POLICY_INVALID';
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super(`invalid policy ${file}: ${message}`, options);
    this.name = 'PolicyError';
  }
}
