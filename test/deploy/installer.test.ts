// The installer as a user runs it (the built CLI with @kubernetes/client-node) against
// a fake API server on 127.0.0.1.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeApiServer, startFakeApiServer } from '../helpers/fake-api-server.js';
import { validateAgainstSchema } from '../helpers/kubernetes-schema.js';
import { parseYaml } from '../helpers/kustomize.js';
import { handshakeWith } from '../helpers/tls-handshake.js';

const cli = fileURLToPath(new URL('../../dist/deploy/installer/main.js', import.meta.url));
const functionUrl = 'https://shop-admission.azurewebsites.net/api/admission';

let api: FakeApiServer;
let work: string;
beforeEach(async () => {
  api = await startFakeApiServer();
  work = mkdtempSync(join(tmpdir(), 'installer-'));
  writeFileSync(join(work, 'function-key'), 'fk_installer_test_0123456789\n');
});
afterEach(() => api.close());

function run(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args],
      { env: { PATH: process.env.PATH, HOME: work, KUBECONFIG: api.kubeconfig, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const installArgs = () => [
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
];
const applied = () =>
  api.requests.filter((r) => r.method === 'PATCH').map((r) => `${r.body.kind} ${r.body.metadata.name}`);

describe('cluster:install', () => {
  it('applies everything with server-side apply, and registers the webhook last, once the proxy is ready', async () => {
    api.notReadyPolls = 2;
    const result = await run(installArgs());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(applied()).toEqual([
      'Namespace admission-system',
      'Secret admission-proxy-tls',
      'Secret admission-proxy-function-key',
      'ServiceAccount admission-proxy',
      'ConfigMap admission-proxy-config',
      'Deployment admission-proxy',
      'PodDisruptionBudget admission-proxy',
      'Service admission-proxy',
      'NetworkPolicy admission-proxy',
      'ValidatingWebhookConfiguration serverless-admission',
    ]);
    const patches = api.requests.filter((r) => r.method === 'PATCH');
    expect(
      patches.every(
        (r) =>
          r.contentType === 'application/apply-patch+yaml' && r.query.get('fieldManager') === 'serverless-admission',
      ),
    ).toBe(true);
    const webhookAt = api.requests.findIndex((r) => r.body?.kind === 'ValidatingWebhookConfiguration');
    const readinessPolls = api.requests
      .slice(0, webhookAt)
      .filter((r) => r.method === 'GET' && r.path.endsWith('/deployments/admission-proxy'));
    expect(readinessPolls).toHaveLength(3);
  });

  it('sets the caBundle, the function URL, the cluster name and the key from its inputs', async () => {
    await run(installArgs());
    const webhook = api.objects.get(
      '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/serverless-admission',
    );
    expect(webhook.webhooks[0].clientConfig.caBundle).toBe(
      readFileSync(join(work, 'certs', 'ca.crt')).toString('base64'),
    );
    const config = api.objects.get('/api/v1/namespaces/admission-system/configmaps/admission-proxy-config');
    expect(config.data).toMatchObject({ FUNCTION_URL: functionUrl, CLUSTER_NAME: 'prod-aks', FAILURE_MODE: 'closed' });
    const key = api.objects.get('/api/v1/namespaces/admission-system/secrets/admission-proxy-function-key');
    expect(Buffer.from(key.data.key, 'base64').toString()).toBe('fk_installer_test_0123456789');
  });

  it('is idempotent: a second run applies the same objects with the same CA', async () => {
    await run(installArgs());
    const first = api.objects.get(
      '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/serverless-admission',
    ).webhooks[0].clientConfig.caBundle;
    const again = await run(installArgs());
    expect(again.code).toBe(0);
    expect(
      api.objects.get('/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/serverless-admission')
        .webhooks[0].clientConfig.caBundle,
    ).toBe(first);
    expect(again.stdout).toContain('using certificates in');
  });

  it('keeps the key already in the cluster when no key file is given', async () => {
    await run(installArgs());
    const withoutKey = installArgs().filter(
      (arg, index, all) => arg !== '--function-key-file' && all[index - 1] !== '--function-key-file',
    );
    expect((await run(withoutKey)).code).toBe(0);
    expect(applied().filter((line) => line === 'Secret admission-proxy-function-key')).toHaveLength(1);
  });

  it('refuses a first install without a function key, touching nothing', async () => {
    const withoutKey = installArgs().filter(
      (arg, index, all) => arg !== '--function-key-file' && all[index - 1] !== '--function-key-file',
    );
    const result = await run(withoutKey);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('MISSING_INPUT: no function key in the cluster yet: pass --function-key-file');
    expect(applied()).toEqual([]);
  });

  it('does not register the webhook when the proxy never gets ready', async () => {
    api.notReadyPolls = 1_000;
    const result = await run([...installArgs().slice(0, -1), '1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /NOT_READY: the proxy is not ready after 1s \(0\/2 replicas\); the webhook was not registered/,
    );
    expect(applied()).not.toContain('ValidatingWebhookConfiguration serverless-admission');
  });

  it('names the missing permission when forbidden, without echoing the server', async () => {
    api.failNext('PATCH', '/deployments/admission-proxy', 403, 'Forbidden');
    const result = await run(installArgs());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'FORBIDDEN: forbidden: your identity may not patch Deployment in namespace admission-system',
    );
    expect(result.stderr).not.toContain('secret-looking server text');
    expect(applied()).not.toContain('ValidatingWebhookConfiguration serverless-admission');
  });

  it('explains a field manager conflict and how to take the fields over', async () => {
    api.failNext('PATCH', '/configmaps/admission-proxy-config', 409, 'Conflict', [
      'conflict with "helm" using v1: .data.FAILURE_MODE',
    ]);
    const result = await run(installArgs());
    expect(result.stderr).toContain(
      'CONFLICT: conflict applying ConfigMap admission-system/admission-proxy-config: conflict with "helm" using v1: .data.FAILURE_MODE; rerun with --force-conflicts',
    );
    expect((await run([...installArgs(), '--force-conflicts'])).code).toBe(0);
    expect(
      api.requests
        .filter((r) => r.method === 'PATCH')
        .at(-1)
        ?.query.get('force'),
    ).toBe('true');
  });

  it('says when there is no kubeconfig', async () => {
    const result = await run(installArgs(), { KUBECONFIG: join(work, 'missing') });
    expect(result.stderr).toContain('NO_KUBECONFIG: no kubeconfig: set KUBECONFIG or run az aks get-credentials');
  });

  it('says when the cluster cannot be reached', async () => {
    await api.close();
    const result = await run(installArgs());
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /UNREACHABLE: cannot reach the cluster at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/,
    );
  });

  it('refuses a function URL carrying ?code=, naming the flag', async () => {
    const result = await run(['install', '--function-url', `${functionUrl}?code=abc`, '--dry-run']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--function-url: the URL must not carry a query (no ?code=)');
    expect(result.stderr).not.toContain('abc');
  });
});

describe('cluster:install --dry-run', () => {
  it('touches nothing, and prints manifests that pass the schemas with a certificate a TLS client accepts', async () => {
    const result = await run(
      [
        'install',
        '--function-url',
        functionUrl,
        '--certs-dir',
        join(work, 'certs'),
        '--namespace',
        'webhooks',
        '--dry-run',
      ],
      { KUBECONFIG: join(work, 'missing') },
    );
    expect(result.code).toBe(0);
    expect(api.requests).toEqual([]);
    const objects = parseYaml(result.stdout);
    for (const object of objects) await validateAgainstSchema(object);
    const webhook = objects.find((o) => o.kind === 'ValidatingWebhookConfiguration');
    expect(webhook?.webhooks[0].clientConfig.service.namespace).toBe('webhooks');
    expect(webhook?.webhooks[0].namespaceSelector.matchExpressions[0].values).toContain('webhooks');
    expect(result.stdout).not.toContain('PRIVATE KEY');
    await expect(handshakeWith(join(work, 'certs'), 'admission-proxy.webhooks.svc')).resolves.toBeTruthy();
  });
});

describe('cluster:uninstall and cluster:status', () => {
  it('removes the webhook before anything else, and is idempotent', async () => {
    await run(installArgs());
    api.requests.length = 0;
    expect((await run(['uninstall'])).code).toBe(0);
    expect(api.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([
      '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/serverless-admission',
      '/api/v1/namespaces/admission-system',
    ]);
    const again = await run(['uninstall']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('ValidatingWebhookConfiguration serverless-admission was already gone');
  });

  it('reports registration, readiness and certificate expiry', async () => {
    expect((await run(['status'])).code).toBe(1);
    await run(installArgs());
    const result = await run(['status']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/webhook: registered, failurePolicy Fail, timeout 10s, CA bundle set/);
    expect(result.stdout).toMatch(/proxy: 2\/2 replicas ready/);
    expect(result.stdout).toMatch(/certificate: expires \d{4}-\d\d-\d\dT.* \(36[45] days\): ok/);
  });
});
