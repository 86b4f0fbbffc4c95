// The code of a failed system call or TLS operation (ECONNRESET, ENOENT,
// ERR_OSSL_PEM_NO_START_LINE), for logs and for the reason given to the API server.
// Only a plain token passes: anything else an error carries could be text from afar.

const codePattern = /^[A-Z][A-Z0-9_]{1,59}$/;

/** The error's `code` when it is a plain upper-case token, otherwise "UNKNOWN". */
export function errorCode(error: unknown): string {
  if (typeof error !== 'object' || error === null || !('code' in error)) return 'UNKNOWN';
  return typeof error.code === 'string' && codePattern.test(error.code) ? error.code : 'UNKNOWN';
}
