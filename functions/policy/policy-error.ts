// A policy that does not load: the message names the file, and the rule or path.
export class PolicyError extends Error {
  readonly code = 'INVALID_POLICY';
  constructor(file: string, message: string) {
    super(`invalid policy ${file}: ${message}`);
    this.name = 'PolicyError';
  }
}
