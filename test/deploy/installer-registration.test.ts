// Registering the webhook: at --webhook-url (a proxy outside the cluster, checked by
// GET of the webhook URL over TLS before anything is registered), and never left behind by a
// failed install.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { caBundlesOf, useInstallerHarness, webhookPath } from './installer-harness.js';
import { type LocalProxy, startLocalProxy } from './installer-local-proxy.js';

const h = useInstallerHarness();
let proxy: LocalProxy | undefined;
afterEach(() => proxy?.close());

describe('cluster:install --webhook-url', () => {
  it('registers clientConfig.url once the proxy there answers its webhook path over TLS with the new CA', async () => {
    proxy = await startLocalProxy(h.certsDir); // waits for the certificates the install makes
    const result = await h.run([...h.installArgs(), '--webhook-url', proxy.url]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`proxy ready: ${proxy.url}: HTTP 405`);
    expect(proxy.requested).toContain('/admission');
    const stored = h.api.objects.get(webhookPath);
    expect(stored).toMatchObject({ webhooks: [{ clientConfig: { url: proxy.url } }] });
    expect(JSON.stringify(stored)).not.toContain('"service"');
    expect(caBundlesOf(stored)).toEqual([readFileSync(join(h.certsDir, 'ca.crt'), 'utf8')]);
    expect(new X509Certificate(readFileSync(join(h.certsDir, 'tls.crt'))).checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(h.applied()).toContain('Deployment admission-proxy');
    expect(h.api.requests.filter((r) => r.path.endsWith('/deployments/admission-proxy') && r.method === 'GET')).toEqual(
      [],
    );
  });

  it('does not register the webhook when nothing answers at the URL, and says where it looked', async () => {
    const url = 'https://127.0.0.1:9/admission';
    const result = await h.run([...h.installArgs().slice(0, -1), '1', '--webhook-url', url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'NOT_READY: the proxy is not ready after 1s (https://127.0.0.1:9/admission: ECONNREFUSED); the webhook was not registered',
    );
    expect(h.applied()).not.toContain('ValidatingWebhookConfiguration serverless-admission');
  });

  it('refuses a certificate directory whose serving certificate does not name the URL host', async () => {
    await h.certs(['--service', 'admission-proxy', '--namespace', 'admission-system', '--out', h.certsDir]);
    const result = await h.run([...h.installArgs(), '--webhook-url', 'https://127.0.0.1:8443/admission']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `CERT_NAME_MISSING: the serving certificate in ${h.certsDir} does not name 127.0.0.1 (the --webhook-url host)`,
    );
    expect(result.stderr).toContain('--renew --ip 127.0.0.1');
    expect(h.api.requests).toEqual([]);
  });
});

describe('a failed registration', () => {
  it('deletes the webhook configuration again when reading it back fails, and says so', async () => {
    h.api.failNext('GET', '/validatingwebhookconfigurations/serverless-admission', 500, 'InternalError');
    const result = await h.run(h.installArgs());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'API_ERROR: the API server refused to get ValidatingWebhookConfiguration serverless-admission (HTTP 500); the ValidatingWebhookConfiguration serverless-admission was deleted again, so nothing is blocked',
    );
    expect(h.api.objects.has(webhookPath)).toBe(false);
    const methods = h.api.requests.filter((r) => r.path === webhookPath).map((r) => r.method);
    expect(methods).toEqual(['PATCH', 'GET', 'DELETE']);
  });

  it('makes sure none is left when applying it fails', async () => {
    h.api.failNext('PATCH', '/validatingwebhookconfigurations/serverless-admission', 503, 'ServiceUnavailable');
    const result = await h.run(h.installArgs());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      '(HTTP 503); no ValidatingWebhookConfiguration serverless-admission was left behind, so nothing is blocked',
    );
    expect(h.api.requests.filter((r) => r.path === webhookPath).map((r) => r.method)).toEqual(['PATCH', 'DELETE']);
  });

  it('says what to run when deleting it again fails too', async () => {
    h.api.failNext('GET', '/validatingwebhookconfigurations/serverless-admission', 500, 'InternalError');
    h.api.failNext('DELETE', '/validatingwebhookconfigurations/serverless-admission', 500, 'InternalError');
    const result = await h.run(h.installArgs());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'deleting the ValidatingWebhookConfiguration serverless-admission again failed too, so it may block requests: run kubectl delete validatingwebhookconfiguration serverless-admission',
    );
  });
});
