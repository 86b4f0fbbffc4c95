// cluster:install --dry-run, cluster:uninstall and cluster:status as a user runs them
// (the built CLI) against a fake API server.
import { X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValidatingWebhookConfiguration } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration';
import { describe, expect, it } from 'vitest';
import { validateAgainstSchema } from '../helpers/kubernetes-schema.js';
import { ofKind, parseYaml } from '../helpers/kustomize.js';
import { caBundlesOf, functionUrl, useInstallerHarness } from './installer-harness.js';

const h = useInstallerHarness();
const dryRunArgs = () => [
  'install',
  '--function-url',
  functionUrl,
  '--certs-dir',
  h.certsDir,
  '--namespace',
  'webhooks',
  '--dry-run',
];

describe('cluster:install --dry-run', () => {
  it('writes nothing and sends nothing, and prints only YAML that passes the schemas on stdout', async () => {
    const result = await h.run(dryRunArgs(), { KUBECONFIG: join(h.work, 'missing') });
    expect(result.code).toBe(0);
    expect(h.api.requests).toEqual([]);
    expect(existsSync(h.certsDir)).toBe(false);
    expect(readdirSync(join(h.work, 'tmp'))).toEqual([]);
    const objects = parseYaml(result.stdout);
    for (const object of objects) await validateAgainstSchema(object);
    const [configuration] = ofKind(objects, ValidatingWebhookConfiguration.is);
    const [webhook] = configuration?.webhooks ?? [];
    expect(webhook?.clientConfig.service?.namespace).toBe('webhooks');
    expect(webhook?.namespaceSelector?.matchExpressions?.[0]?.values).toContain('webhooks');
    expect(new X509Certificate(caBundlesOf(configuration)[0] ?? '').ca).toBe(true);
    expect(result.stdout).not.toContain('PRIVATE KEY');
    expect(result.stderr).toContain('made in a temporary directory, now deleted');
  });

  it('reads a complete set in the certificates directory without changing it', async () => {
    await h.certs(['--service', 'admission-proxy', '--namespace', 'webhooks', '--out', h.certsDir]);
    const before = readdirSync(h.certsDir).map((name) => readFileSync(join(h.certsDir, name), 'utf8'));
    const result = await h.run(dryRunArgs());
    expect(result.code).toBe(0);
    const [configuration] = ofKind(parseYaml(result.stdout), ValidatingWebhookConfiguration.is);
    expect(caBundlesOf(configuration)).toEqual([readFileSync(join(h.certsDir, 'ca.crt'), 'utf8')]);
    expect(readdirSync(h.certsDir).map((name) => readFileSync(join(h.certsDir, name), 'utf8'))).toEqual(before);
  });

  it('registers the webhook at --webhook-url in the printed manifests, with no Service', async () => {
    const url = 'https://127.0.0.1:8443/admission';
    const result = await h.run([...dryRunArgs(), '--webhook-url', url]);
    expect(result.code).toBe(0);
    const [configuration] = ofKind(parseYaml(result.stdout), ValidatingWebhookConfiguration.is);
    expect(configuration?.webhooks?.[0]?.clientConfig).toMatchObject({ url });
    expect(configuration?.webhooks?.[0]?.clientConfig.service).toBeUndefined();
    expect(configuration?.metadata?.annotations).toMatchObject({ 'admissions.enforcer/disabled': 'true' });
  });
});

describe('cluster:uninstall', () => {
  it('removes the webhook before anything else, and is idempotent', async () => {
    await h.run(h.installArgs());
    h.api.requests.length = 0;
    expect((await h.run(['uninstall'])).code).toBe(0);
    expect(h.api.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([
      '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/serverless-admission',
      '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/serverless-admission-namespace-reader',
      '/apis/rbac.authorization.k8s.io/v1/clusterroles/serverless-admission-namespace-reader',
      '/api/v1/namespaces/admission-system',
    ]);
    const again = await h.run(['uninstall']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('ValidatingWebhookConfiguration serverless-admission was already gone');
  });
});

describe('cluster:status', () => {
  it('reports registration, readiness and the days the CA and serving certificate have left', async () => {
    expect((await h.run(['status'])).code).toBe(1);
    await h.run(h.installArgs());
    const result = await h.run(['status']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/webhook: registered, failurePolicy Fail, timeout 10s, CA bundle set/);
    expect(result.stdout).toMatch(/proxy: ready \((\d)\/\1 replicas\)/);
    expect(result.stdout).toMatch(/CA: expires \d{4}-\d\d-\d\dT.* \(36(49|50) days\): ok/);
    expect(result.stdout).toMatch(/certificate: expires \d{4}-\d\d-\d\dT.* \(36[45] days\): ok/);
    expect(result.stdout).not.toContain('warning');
  });

  it('warns, and exits 1, when the CA or the serving certificate expires within 30 days', async () => {
    const short = ['--service', 'admission-proxy', '--namespace', 'admission-system', '--out', h.certsDir];
    await h.certs([...short, '--days', '10', '--ca-days', '20']);
    expect((await h.run(h.installArgs())).code).toBe(0);
    const result = await h.run(['status']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/CA: expires .* \(19 days\): under 30 days: rotate it: npm run cluster:rotate-ca/);
    expect(result.stdout).toMatch(/certificate: expires .* \(9 days\): under 30 days: renew it: npm run certs -- /);
    expect(result.stdout).toContain('warning: the CA expires within 30 days');
    expect(result.stdout).toContain('warning: the serving certificate expires within 30 days');
  });
});
