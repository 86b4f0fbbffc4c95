// The installer as a user runs it (the built CLI with @kubernetes/client-node) against
// a fake API server on 127.0.0.1: a new server and work directory (with a function key,
// and a TMPDIR of its own, so that a test can see what was left there) for each test.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, vi } from 'vitest';
import { z } from 'zod';
import { type FakeApiServer, startFakeApiServer } from '../helpers/fake-api-server.js';

const cli = fileURLToPath(new URL('../../dist/deploy/installer/main.js', import.meta.url));
const certsCli = fileURLToPath(new URL('../../dist/certs/main.js', import.meta.url));
export const functionUrl = 'https://shop-admission.azurewebsites.net/api/admission';
export const webhookPath = '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/serverless-admission';
export const tlsSecretPath = '/api/v1/namespaces/admission-system/secrets/admission-proxy-tls';

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface InstallerHarness {
  /** This test's fake API server. */
  readonly api: FakeApiServer;
  /** This test's work directory: HOME for the CLI, with `function-key` and `tmp` (its TMPDIR) in it. */
  readonly work: string;
  /** `work`/certs, where installArgs() keeps the certificates. */
  readonly certsDir: string;
  run(args: string[], env?: Record<string, string>): Promise<RunResult>;
  /** The certificate tool, as a user would run it before installing. */
  certs(args: string[]): Promise<RunResult>;
  /** The flags of a full install into the work directory. */
  installArgs(): string[];
  /** "Kind name" of every object applied so far, in order. */
  applied(): string[];
}

/** Registers the per-test set-up; call it at the top of a test file. */
export function useInstallerHarness(): InstallerHarness {
  // Each run starts a Node process that imports @kubernetes/client-node (about 1.2 s
  // alone); a test that runs the installer twice passed 5 s on a loaded CI machine.
  vi.setConfig({ testTimeout: 30_000 });
  let api: FakeApiServer | undefined;
  let work = '';
  beforeEach(async () => {
    api = await startFakeApiServer();
    work = mkdtempSync(join(tmpdir(), 'installer-'));
    mkdirSync(join(work, 'tmp'));
    writeFileSync(join(work, 'function-key'), 'fk_installer_test_0123456789\n');
  });
  afterEach(() => api?.close());
  const server = () => {
    if (!api) throw new Error('the fake API server starts in beforeEach');
    return api;
  };
  const runNode = (args: string[], env: Record<string, string>) =>
    new Promise<RunResult>((resolve) => {
      const base = { PATH: process.env.PATH, HOME: work, TMPDIR: join(work, 'tmp'), KUBECONFIG: server().kubeconfig };
      execFile(process.execPath, args, { env: { ...base, ...env }, timeout: 60_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
  return {
    get api() {
      return server();
    },
    get work() {
      return work;
    },
    get certsDir() {
      return join(work, 'certs');
    },
    run: (args, env = {}) => runNode([cli, ...args], env),
    certs: (args) => runNode([certsCli, ...args], {}),
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

const webhookBundles = z.object({
  webhooks: z.array(z.object({ clientConfig: z.looseObject({ caBundle: z.string() }) })),
});

/** The caBundle of each webhook in a stored or sent configuration, as PEM. */
export function caBundlesOf(configuration: unknown): string[] {
  return webhookBundles
    .parse(configuration)
    .webhooks.map((webhook) => Buffer.from(webhook.clientConfig.caBundle, 'base64').toString('utf8'));
}
