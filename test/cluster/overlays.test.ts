// The cert-manager and Key Vault overlays on a real kube-apiserver (v1.20), in the order
// the README gives. cert-manager and the Secrets Store CSI driver do not run here: their
// kinds are schemaless stand-ins, and the test does what cert-manager would (issue the
// serving Secret from the certificate tool's CA, mark the Certificate Ready, inject the
// CA into the webhook).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClusterWithStack, stopClusterWithStack } from '../helpers/cluster-with-stack.js';
import { type ApiServer, deploymentManifest, kubectl } from '../helpers/kube-apiserver.js';
import { asList, renderOverlay } from '../helpers/kustomize-overlay.js';
import type { LocalStack } from '../helpers/local-stack.js';
import { standInCrds } from '../helpers/stand-in-crds.js';

let server: ApiServer;
let stack: LocalStack;
let webhookUrl: string;
const read = (name: string) => readFileSync(join(stack.state, name), 'utf8');
const applyServerSide = (objects: readonly unknown[]) =>
  kubectl(server, ['apply', '--server-side', '--field-manager=flux', '-f', '-'], asList(objects));
const inSystem = (args: string[]) => kubectl(server, ['-n', 'admission-system', ...args]);

beforeAll(async () => {
  ({ server, stack } = await startClusterWithStack());
  webhookUrl = `https://127.0.0.1:${stack.proxyPort}/admission`;
  await kubectl(server, ['apply', '-f', '-'], asList(standInCrds));
  await kubectl(server, ['wait', '--for=condition=established', '--timeout=60s', 'crd', '--all']);
}, 900_000);

afterAll(() => stopClusterWithStack(server, stack));

describe('the cert-manager overlay, in two steps', () => {
  it('step 1 applies the proxy and its Certificates and registers no webhook', async () => {
    const objects = await renderOverlay(
      'overlays/cert-manager',
      { files: { 'function-key': read('function-key') } },
      webhookUrl,
    );
    expect((await applyServerSide(objects)).stderr).toBe('');
    expect((await kubectl(server, ['get', 'validatingwebhookconfigurations', '-o', 'name'])).stdout).toBe('');
    expect((await kubectl(server, ['apply', '-f', '-'], deploymentManifest('shop', 'early', 1))).code).toBe(0);
  });

  it('waits as the README says until cert-manager has issued the serving certificate', async () => {
    const pair = ['--cert', join(stack.state, 'certs/tls.crt'), '--key', join(stack.state, 'certs/tls.key')];
    await inSystem(['create', 'secret', 'tls', 'admission-proxy-tls', ...pair]);
    await inSystem([
      'patch',
      'secret/admission-proxy-tls',
      '--type=merge',
      '-p',
      JSON.stringify({ data: { 'ca.crt': Buffer.from(read('certs/ca.crt')).toString('base64') } }),
    ]);
    const ready = { status: { conditions: [{ type: 'Ready', status: 'True', reason: 'Issued' }] } };
    await inSystem([
      'patch',
      'certificate/admission-proxy',
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify(ready),
    ]);
    const waited = await inSystem(['wait', '--for=condition=Ready', 'certificate/admission-proxy', '--timeout=30s']);
    expect(waited.code).toBe(0);
  });

  it('step 2 registers the webhook for cainjector, which then works with the injected CA', async () => {
    const objects = await renderOverlay('overlays/cert-manager/webhook', { files: {} }, webhookUrl);
    expect((await applyServerSide(objects)).stderr).toBe('');
    const annotation = await kubectl(server, [
      'get',
      'validatingwebhookconfiguration/serverless-admission',
      '-o',
      'jsonpath={.metadata.annotations.cert-manager\\.io/inject-ca-from}',
    ]);
    expect(annotation.stdout).toBe('admission-system/admission-proxy');
    // cainjector's part: the CA from the Certificate's Secret into every webhook.
    const ca = (await inSystem(['get', 'secret/admission-proxy-tls', '-o', 'jsonpath={.data.ca\\.crt}'])).stdout;
    const inject = [{ op: 'add', path: '/webhooks/0/clientConfig/caBundle', value: ca }];
    await kubectl(server, [
      'patch',
      'validatingwebhookconfiguration/serverless-admission',
      '--type=json',
      '-p',
      JSON.stringify(inject),
    ]);
    const denied = await kubectl(server, ['apply', '-f', '-'], deploymentManifest('shop', 'small', 2));
    expect(denied.stderr).toContain('has 2 replicas; the minimum is 3');
    await kubectl(server, ['delete', 'validatingwebhookconfiguration/serverless-admission']);
  });
});

describe('the Key Vault overlay', () => {
  it('applies with the CA and pair from files and a webhook that verifies the proxy', async () => {
    const files = {
      'ca.crt': read('certs/ca.crt'),
      'tls.crt': read('certs/tls.crt'),
      'tls.key': read('certs/tls.key'),
    };
    // A cluster of its own for this path: what the cert-manager overlay left goes first
    // (switching the function-key volume's source in place is not what this tests).
    await inSystem(['delete', 'secret/admission-proxy-tls', 'deployment/admission-proxy']);
    const objects = await renderOverlay('overlays/keyvault', { files }, webhookUrl);
    expect((await applyServerSide(objects)).stderr).toBe('');
    const denied = await kubectl(server, ['apply', '-f', '-'], deploymentManifest('shop', 'small-kv', 2));
    expect(denied.stderr).toContain('has 2 replicas; the minimum is 3');
    expect((await kubectl(server, ['apply', '-f', '-'], deploymentManifest('shop', 'web-kv', 3))).code).toBe(0);
  });
});
