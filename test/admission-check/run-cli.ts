// The built admission-check (dist/cli) run as CI runs it: a child process, its exit
// code, stdout and stderr. ADMISSION_CHECK_BIN points the tests at another build (an
// older release, to see a test fail before its fix).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const bin =
  process.env.ADMISSION_CHECK_BIN ?? fileURLToPath(new URL('../../dist/cli/admission-check.js', import.meta.url));
export const root = fileURLToPath(new URL('../../', import.meta.url));

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(args: string[], options: { stdin?: string; env?: Record<string, string>; cwd?: string } = {}) {
  return new Promise<CliResult>((resolve) => {
    const child = execFile(
      process.execPath,
      [bin, ...args],
      { cwd: options.cwd ?? root, env: { PATH: process.env.PATH, ...options.env }, timeout: 20_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
    child.stdin?.end(options.stdin ?? '');
  });
}
