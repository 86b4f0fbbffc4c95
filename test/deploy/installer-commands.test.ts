// cluster:install --dry-run, cluster:uninstall and cluster:status as a user runs them
// (the built CLI) against a fake API server.
import { join } from 'node:path';
import { ValidatingWebhookConfiguration } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration';
import { describe, expect, it } from 'vitest';
import { validateAgainstSchema } from '../helpers/kubernetes-schema.js';
import { ofKind, parseYaml } from '../helpers/kustomize.js';
import { handshakeWith } from '../helpers/tls-handshake.js';
import { functionUrl, useInstallerHarness } from './installer-harness.js';

const h = useInstallerHarness();

describe('cluster:install --dry-run', () => {
  it('touches nothing, and prints manifests that pass the schemas with a certificate a TLS client accepts', async () => {
    const result = await h.run(
      [
        'install',
        '--function-url',
        functionUrl,
        '--certs-dir',
        join(h.work, 'certs'),
        '--namespace',
        'webhooks',
        '--dry-run',
      ],
      { KUBECONFIG: join(h.work, 'missing') },
    );
    expect(result.code).toBe(0);
    expect(h.api.requests).toEqual([]);
    const objects = parseYaml(result.stdout);
    for (const object of objects) await validateAgainstSchema(object);
    const [webhook] = ofKind(objects, ValidatingWebhookConfiguration.is).flatMap((object) => object.webhooks ?? []);
    expect(webhook?.clientConfig.service?.namespace).toBe('webhooks');
    expect(webhook?.namespaceSelector?.matchExpressions?.[0]?.values).toContain('webhooks');
    expect(result.stdout).not.toContain('PRIVATE KEY');
    await expect(handshakeWith(join(h.work, 'certs'), 'admission-proxy.webhooks.svc')).resolves.toBeTruthy();
  });
});

describe('cluster:uninstall and cluster:status', () => {
  it('removes the webhook before anything else, and is idempotent', async () => {
    await h.run(h.installArgs());
    h.api.requests.length = 0;
    expect((await h.run(['uninstall'])).code).toBe(0);
    expect(h.api.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([
      '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/serverless-admission',
      '/api/v1/namespaces/admission-system',
    ]);
    const again = await h.run(['uninstall']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('ValidatingWebhookConfiguration serverless-admission was already gone');
  });

  it('reports registration, readiness and certificate expiry', async () => {
    expect((await h.run(['status'])).code).toBe(1);
    await h.run(h.installArgs());
    const result = await h.run(['status']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/webhook: registered, failurePolicy Fail, timeout 10s, CA bundle set/);
    expect(result.stdout).toMatch(/proxy: 2\/2 replicas ready/);
    expect(result.stdout).toMatch(/certificate: expires \d{4}-\d\d-\d\dT.* \(36[45] days\): ok/);
  });
});
