// npm start and its development function host read their environment once, at
// start-up: a bad value stops them before anything starts, with a message that names
// the variable and the form it takes, never the value.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const launcher = fileURLToPath(new URL('../../dist/deploy/local/start-stack.js', import.meta.url));
const devHost = fileURLToPath(new URL('../../dist/deploy/local/dev-function-host.js', import.meta.url));

function run(script: string, env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [script],
      { env: { PATH: process.env.PATH, ...env }, timeout: 20_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm start settings', () => {
  it.each([
    ['a port out of range', { FUNCTIONS_PORT: '70000' }, 'FUNCTIONS_PORT must be a port number from 1 to 65535'],
    [
      'a port that is not a number',
      { FUNCTIONS_PORT: '7071x' },
      'FUNCTIONS_PORT must be a port number from 1 to 65535',
    ],
    ['an unknown log level', { LOG_LEVEL: 'chatty' }, 'LOG_LEVEL must be fatal, error, warn, info or debug'],
    ['a cluster name with a space', { CLUSTER_NAME: 'my cluster' }, 'CLUSTER_NAME must be 1-63 letters'],
  ])(
    'refuses %s, naming the variable and its form but not the value, and starts nothing',
    async (_what, bad, message) => {
      const state = mkdtempSync(join(tmpdir(), 'local-stack-settings-'));
      const result = await run(launcher, { LOCAL_STATE_DIR: state, ...bad });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`npm start: SETTINGS_INVALID: ${message}`);
      for (const value of Object.values(bad)) expect(result.stderr).not.toContain(value);
      expect(result.stdout).not.toMatch(/^ready$/m);
      expect(readdirSync(state)).toEqual([]);
    },
  );

  it('names every bad variable at once', async () => {
    const state = mkdtempSync(join(tmpdir(), 'local-stack-settings-'));
    const result = await run(launcher, { LOCAL_STATE_DIR: state, PROXY_PORT: '0', PROXY_HEALTH_PORT: 'metrics' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('PROXY_PORT must be a port number from 1 to 65535');
    expect(result.stderr).toContain('PROXY_HEALTH_PORT must be a port number from 1 to 65535');
  });
});

describe('development function host settings', () => {
  it('refuses a PORT that is not a port, naming it', async () => {
    const result = await run(devHost, { PORT: 'http' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('development host: SETTINGS_INVALID: PORT must be a port number from 1 to 65535');
  });
});
