// cluster:install as a user runs it (the built CLI) against a fake API server: the
// order of applies, what is set from the flags, idempotence, and each failure named.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFakeApiServer } from '../helpers/fake-api-server.js';
import { caBundlesOf, functionUrl, useInstallerHarness, webhookPath } from './installer-harness.js';

const h = useInstallerHarness();
/** The caBundle (PEM) of each webhook in the stored configuration. */
const caBundles = () => caBundlesOf(h.api.objects.get(webhookPath));

describe('cluster:install', () => {
  it('applies everything with server-side apply, and registers the webhook last, once the proxy is ready', async () => {
    h.api.notReadyPolls = 2;
    const result = await h.run(h.installArgs());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(h.applied()).toEqual([
      'Namespace admission-system',
      'Secret admission-proxy-tls',
      'Secret admission-proxy-function-key',
      'ServiceAccount admission-proxy',
      'ClusterRole serverless-admission-namespace-reader',
      'ClusterRoleBinding serverless-admission-namespace-reader',
      'ConfigMap admission-proxy-config',
      'Deployment admission-proxy',
      'PodDisruptionBudget admission-proxy',
      'Service admission-proxy',
      'NetworkPolicy admission-proxy',
      'ValidatingWebhookConfiguration serverless-admission',
    ]);
    const patches = h.api.requests.filter((r) => r.method === 'PATCH');
    expect(
      patches.every(
        (r) =>
          r.contentType === 'application/apply-patch+yaml' && r.query.get('fieldManager') === 'serverless-admission',
      ),
    ).toBe(true);
    const webhookAt = h.api.requests.findIndex((r) => r.object?.kind === 'ValidatingWebhookConfiguration');
    const readinessPolls = h.api.requests
      .slice(0, webhookAt)
      .filter((r) => r.method === 'GET' && r.path.endsWith('/deployments/admission-proxy'));
    expect(readinessPolls).toHaveLength(3);
  });

  it('sets the caBundle, the function URL, the cluster name and the key from its inputs', async () => {
    await h.run(h.installArgs());
    expect(caBundles()).toEqual([readFileSync(join(h.work, 'certs', 'ca.crt'), 'utf8')]);
    const config = h.api.objects.get('/api/v1/namespaces/admission-system/configmaps/admission-proxy-config');
    expect(config).toMatchObject({
      data: { FUNCTION_URL: functionUrl, CLUSTER_NAME: 'prod-aks', FAILURE_MODE: 'closed' },
    });
    const key = h.api.objects.get('/api/v1/namespaces/admission-system/secrets/admission-proxy-function-key');
    expect(key).toMatchObject({ data: { key: Buffer.from('fk_installer_test_0123456789').toString('base64') } });
  });

  it('is idempotent: a second run applies the same objects with the same CA', async () => {
    await h.run(h.installArgs());
    const first = caBundles();
    expect(first[0]).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    const again = await h.run(h.installArgs());
    expect(again.code).toBe(0);
    expect(caBundles()).toEqual(first);
    expect(again.stdout).toContain('using certificates in');
  });

  it('keeps the key already in the cluster when no key file is given', async () => {
    await h.run(h.installArgs());
    const withoutKey = h
      .installArgs()
      .filter((arg, index, all) => arg !== '--function-key-file' && all[index - 1] !== '--function-key-file');
    expect((await h.run(withoutKey)).code).toBe(0);
    expect(h.applied().filter((line) => line === 'Secret admission-proxy-function-key')).toHaveLength(1);
  });

  it('refuses a first install without a function key, touching nothing', async () => {
    const withoutKey = h
      .installArgs()
      .filter((arg, index, all) => arg !== '--function-key-file' && all[index - 1] !== '--function-key-file');
    const result = await h.run(withoutKey);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('MISSING_INPUT: no function key in the cluster yet: pass --function-key-file');
    expect(h.applied()).toEqual([]);
  });

  it('does not register the webhook when the proxy never gets ready', async () => {
    h.api.notReadyPolls = 1_000;
    const result = await h.run([...h.installArgs().slice(0, -1), '1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /NOT_READY: the proxy is not ready after 1s \(0\/\d replicas\); the webhook was not registered/,
    );
    expect(h.applied()).not.toContain('ValidatingWebhookConfiguration serverless-admission');
  });

  it('names the missing permission when forbidden, without echoing the server', async () => {
    h.api.failNext('PATCH', '/deployments/admission-proxy', 403, 'Forbidden');
    const result = await h.run(h.installArgs());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'FORBIDDEN: forbidden: your identity may not patch Deployment in namespace admission-system',
    );
    expect(result.stderr).not.toContain('secret-looking server text');
    expect(h.applied()).not.toContain('ValidatingWebhookConfiguration serverless-admission');
  });

  it('explains a field manager conflict and how to take the fields over', async () => {
    h.api.failNext('PATCH', '/configmaps/admission-proxy-config', 409, 'Conflict', [
      'conflict with "helm" using v1: .data.FAILURE_MODE',
    ]);
    const result = await h.run(h.installArgs());
    expect(result.stderr).toContain(
      'CONFLICT: conflict applying ConfigMap admission-system/admission-proxy-config: conflict with "helm" using v1: .data.FAILURE_MODE; rerun with --force-conflicts',
    );
    expect((await h.run([...h.installArgs(), '--force-conflicts'])).code).toBe(0);
    expect(
      h.api.requests
        .filter((r) => r.method === 'PATCH')
        .at(-1)
        ?.query.get('force'),
    ).toBe('true');
  });

  it('says when there is no kubeconfig', async () => {
    const result = await h.run(h.installArgs(), { KUBECONFIG: join(h.work, 'missing') });
    expect(result.stderr).toContain(
      'NO_KUBECONFIG: no kubeconfig: pass --kubeconfig <file>, set KUBECONFIG, or run az aks get-credentials',
    );
  });

  it('says when the cluster cannot be reached', async () => {
    await h.api.close();
    const result = await h.run(h.installArgs());
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /UNREACHABLE: cannot reach the cluster at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/,
    );
  });

  it('stops before touching the cluster when the certificates directory holds a pair without its CA', async () => {
    await h.certs(['--service', 'admission-proxy', '--namespace', 'admission-system', '--out', h.certsDir]);
    rmSync(join(h.work, 'certs', 'ca.crt'));
    h.api.requests.length = 0;
    const result = await h.run(h.installArgs());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `installer: CERTS_FAILED: the certificate tool failed for ${join(h.work, 'certs')}:`,
    );
    expect(result.stderr).toContain('but not ca.crt');
    expect(h.api.requests).toEqual([]);
  });

  it('refuses a function URL carrying ?code=, naming the flag', async () => {
    const result = await h.run(['install', '--function-url', `${functionUrl}?code=abc`, '--dry-run']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--function-url: the URL must not carry a query (no ?code=)');
    expect(result.stderr).not.toContain('abc');
  });

  it('installs on an older cluster: PodDisruptionBudget as policy/v1beta1, fields it lacks left out and named', async () => {
    // What Kubernetes 1.20 lacks: policy/v1, and fields added since (scheduling hints, eviction policy).
    const lacking = ['matchLabelKeys', 'nodeTaintsPolicy', 'unhealthyPodEvictionPolicy', 'revisionHistoryLimit'];
    const older = await startFakeApiServer({ notServed: ['/apis/policy/v1'], undeclared: lacking });
    try {
      const planned = (await h.run([...h.installArgs(), '--dry-run'])).stdout;
      const result = await h.run(h.installArgs(), { KUBECONFIG: older.kubeconfig });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(
        'the cluster does not serve PodDisruptionBudget at policy/v1; applying it as policy/v1beta1',
      );
      const budget = older.requests.find((r) => r.object?.kind === 'PodDisruptionBudget' && r.method === 'PATCH');
      expect(budget?.path).toBe(
        '/apis/policy/v1beta1/namespaces/admission-system/poddisruptionbudgets/admission-proxy',
      );
      expect(budget?.body).toMatchObject({ apiVersion: 'policy/v1beta1', spec: { selector: { matchLabels: {} } } });
      const stored = JSON.stringify([...older.objects.values()]);
      const named = result.stdout
        .split('\n')
        .filter((line) => line.includes('without fields this cluster does not have'));
      for (const field of lacking.filter((name) => planned.includes(`${name}:`))) {
        expect(stored).not.toContain(`"${field}"`);
        expect(named.join('\n')).toContain(`.${field}`);
      }
      expect(named.join('\n')).toContain('.spec.revisionHistoryLimit');
    } finally {
      await older.close();
    }
  });

  it('accepts http for a function host on this machine, and refuses it elsewhere', async () => {
    const dryRun = ['--certs-dir', h.certsDir, '--dry-run'];
    const local = await h.run(['install', '--function-url', 'http://127.0.0.1:7071/api/admission', ...dryRun]);
    expect(local.code).toBe(0);
    const remote = await h.run(['install', '--function-url', 'http://shop.example.com/api/admission', ...dryRun]);
    expect(remote.code).toBe(2);
    expect(remote.stderr).toContain('--function-url: expected an https URL (http only to localhost or 127.0.0.1');
  });
});
