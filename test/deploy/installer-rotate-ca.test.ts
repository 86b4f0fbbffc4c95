// cluster:rotate-ca against a fake API server: the caBundle trusts both CAs before the
// serving pair changes, and the new CA alone only once the new pair is served; a
// failure in between leaves a bundle that verifies whatever pair is served.
import { X509Certificate } from 'node:crypto';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { caBundlesOf, tlsSecretPath, useInstallerHarness, webhookPath } from './installer-harness.js';
import { type LocalProxy, startLocalProxy } from './installer-local-proxy.js';

const h = useInstallerHarness();
let proxy: LocalProxy | undefined;
afterEach(() => proxy?.close());

const splitPem = (bundle: string) =>
  bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
const secretData = z.object({ data: z.object({ 'tls.crt': z.string(), 'ca.crt': z.string() }) });
const decode = (text: string) => Buffer.from(text, 'base64').toString('utf8');
const localCa = () => readFileSync(join(h.certsDir, 'ca.crt'), 'utf8').trim();
const rotate = (...extra: string[]) =>
  h.run(['rotate-ca', '--certs-dir', h.certsDir, '--settle-seconds', '0', '--grace-seconds', '1', ...extra]);

/** True when `ca` signed `cert`. */
function signs(ca: string, cert: string): boolean {
  const issuer = new X509Certificate(ca);
  const leaf = new X509Certificate(cert);
  return leaf.checkIssued(issuer) && leaf.verify(issuer.publicKey);
}

interface Patch {
  readonly kind: string;
  /** A webhook configuration's caBundle, certificate by certificate. */
  readonly bundle?: string[];
  /** A Secret's tls.crt. */
  readonly tlsCrt?: string;
}

/** The PATCHes since `start`: what was applied, with the caBundle or the serving certificate sent. */
function patchesAfter(start: number): Patch[] {
  return h.api.requests.slice(start).flatMap((r): Patch[] => {
    if (r.method !== 'PATCH' || !r.object) return [];
    if (r.object.kind === 'Secret')
      return [{ kind: 'Secret', tlsCrt: decode(secretData.parse(r.body).data['tls.crt']) }];
    return [{ kind: r.object.kind, bundle: [...splitPem(caBundlesOf(r.body)[0] ?? '')] }];
  });
}

describe('cluster:rotate-ca', () => {
  it('trusts old + new CA before the pair changes, waits the grace period, then trusts the new CA only', async () => {
    expect((await h.run(h.installArgs())).code).toBe(0);
    const oldCa = localCa();
    const start = h.api.requests.length;
    const result = await rotate();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const newCa = localCa();
    expect(newCa).not.toBe(oldCa);
    const [both, secret, newOnly, ...rest] = patchesAfter(start);
    expect(rest).toEqual([]);
    expect(both).toEqual({ kind: 'ValidatingWebhookConfiguration', bundle: [oldCa, newCa] });
    expect(secret?.kind).toBe('Secret');
    expect(signs(newCa, secret?.tlsCrt ?? '')).toBe(true);
    expect(newOnly).toEqual({ kind: 'ValidatingWebhookConfiguration', bundle: [newCa] });
    expect(readFileSync(join(h.certsDir, 'tls.crt'), 'utf8')).toBe(secret?.tlsCrt);
    expect(decode(secretData.parse(h.api.objects.get(tlsSecretPath)).data['ca.crt']).trim()).toBe(newCa);
    const steps = result.stdout.split('\n').filter((line) => line.startsWith('step '));
    expect(steps.map((line) => line.slice(0, 8))).toEqual(['step 1/4', 'step 2/4', 'step 3/4', 'step 4/4']);
    expect(steps[2]).toContain(
      'waiting 1s for the proxy pods to serve the new pair: the kubelet refreshes mounted Secrets',
    );
  });

  it('with the webhook at a URL, waits until the proxy there serves the new certificate', async () => {
    proxy = await startLocalProxy(h.certsDir);
    expect((await h.run([...h.installArgs(), '--webhook-url', proxy.url])).code).toBe(0);
    const result = await rotate('--wait-seconds', '10');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`step 3/4: waiting up to 10s for the proxy at ${proxy.url} to serve the new pair`);
    expect(result.stdout).toContain('the proxy serves the new pair');
    expect(result.stdout).not.toContain('kubelet');
    const served = new X509Certificate(readFileSync(join(h.certsDir, 'tls.crt')));
    expect(served.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(splitPem(caBundlesOf(h.api.objects.get(webhookPath))[0] ?? '')).toEqual([localCa()]);
  });

  it('stops with both CAs trusted when the Secret cannot be updated, and the served pair still verifies', async () => {
    await h.run(h.installArgs());
    const oldCa = localCa();
    h.api.failNext('PATCH', '/secrets/admission-proxy-tls', 500, 'InternalError');
    const result = await rotate();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'the caBundle trusts both the old and the new CA, so whichever pair the proxy serves is verified; rerun npm run cluster:rotate-ca',
    );
    const bundle = splitPem(caBundlesOf(h.api.objects.get(webhookPath))[0] ?? '');
    expect(bundle).toHaveLength(2);
    expect(bundle[0]).toBe(oldCa);
    const servedInCluster = decode(secretData.parse(h.api.objects.get(tlsSecretPath)).data['tls.crt']);
    expect(bundle.some((ca) => signs(ca, servedInCluster))).toBe(true);
    expect(bundle.some((ca) => signs(ca, readFileSync(join(h.certsDir, 'tls.crt'), 'utf8')))).toBe(true);
  });

  it('stops with both CAs trusted when the proxy at the URL never serves the new pair', async () => {
    proxy = await startLocalProxy(h.certsDir);
    await h.run([...h.installArgs(), '--webhook-url', proxy.url]);
    await proxy.close();
    const stale = join(h.work, 'stale-certs');
    cpSync(h.certsDir, stale, { recursive: true });
    proxy = await startLocalProxy(stale); // serves the old pair, and never sees the new one
    const result = await h.run([
      'rotate-ca',
      '--certs-dir',
      h.certsDir,
      '--webhook-url',
      proxy.url,
      '--settle-seconds',
      '0',
      '--wait-seconds',
      '1',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `ROTATION_STALLED: the proxy at ${proxy.url} did not serve the new certificate within 1s (it still serves the old certificate)`,
    );
    expect(splitPem(caBundlesOf(h.api.objects.get(webhookPath))[0] ?? '')).toHaveLength(2);
  });

  it('says there is nothing to rotate before an install', async () => {
    const result = await rotate();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('NOT_INSTALLED: no ValidatingWebhookConfiguration serverless-admission');
    expect(h.api.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });
});
