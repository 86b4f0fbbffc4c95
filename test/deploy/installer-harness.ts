// The installer as a user runs it (the built CLI with @kubernetes/client-node) against
// a fake API server on 127.0.0.1: a new server and work directory (with a function key)
// for each test.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach } from 'vitest';
import { type FakeApiServer, startFakeApiServer } from '../helpers/fake-api-server.js';

const cli = fileURLToPath(new URL('../../dist/deploy/installer/main.js', import.meta.url));
export const functionUrl = 'https://shop-admission.azurewebsites.net/api/admission';

export interface InstallerHarness {
  /** This test's fake API server. */
  readonly api: FakeApiServer;
  /** This test's work directory: HOME for the CLI, with `function-key` in it. */
  readonly work: string;
  run(args: string[], env?: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }>;
  /** The flags of a full install into the work directory. */
  installArgs(): string[];
  /** "Kind name" of every object applied so far, in order. */
  applied(): string[];
}

/** Registers the per-test set-up; call it at the top of a test file. */
export function useInstallerHarness(): InstallerHarness {
  let api: FakeApiServer | undefined;
  let work = '';
  beforeEach(async () => {
    api = await startFakeApiServer();
    work = mkdtempSync(join(tmpdir(), 'installer-'));
    writeFileSync(join(work, 'function-key'), 'fk_installer_test_0123456789\n');
  });
  afterEach(() => api?.close());
  const server = () => {
    if (!api) throw new Error('the fake API server starts in beforeEach');
    return api;
  };
  return {
    get api() {
      return server();
    },
    get work() {
      return work;
    },
    run: (args, env = {}) =>
      new Promise((resolve) => {
        execFile(
          process.execPath,
          [cli, ...args],
          { env: { PATH: process.env.PATH, HOME: work, KUBECONFIG: server().kubeconfig, ...env }, timeout: 60_000 },
          (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        );
      }),
    installArgs: () => [
      'install',
      '--function-url',
      functionUrl,
      '--function-key-file',
      join(work, 'function-key'),
      '--cluster-name',
      'prod-aks',
      '--certs-dir',
      join(work, 'certs'),
      '--wait-seconds',
      '10',
    ],
    applied: () =>
      server().requests.flatMap((r) =>
        r.method === 'PATCH' && r.object ? [`${r.object.kind} ${r.object.metadata.name}`] : [],
      ),
  };
}
