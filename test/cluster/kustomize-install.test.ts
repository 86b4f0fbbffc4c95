// Installing with kustomize, as a GitOps tool would: overlays/files rendered with the
// CA and pair the project's certificate tool made (the local stack's), applied with
// server-side apply to a real kube-apiserver (v1.20). The webhook it registers works
// with the CA it carries, and a second apply has nothing to change.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookScope } from '../../functions/core/index.js';
import { startClusterWithStack, stopClusterWithStack } from '../helpers/cluster-with-stack.js';
import { type ApiServer, deploymentManifest, kubectl } from '../helpers/kube-apiserver.js';
import { asList, renderOverlay } from '../helpers/kustomize-overlay.js';
import type { LocalStack } from '../helpers/local-stack.js';

let server: ApiServer;
let stack: LocalStack;
let manifests: string;

beforeAll(async () => {
  ({ server, stack } = await startClusterWithStack());
  const read = (name: string) => readFileSync(join(stack.state, name), 'utf8');
  const files = {
    'ca.crt': read('certs/ca.crt'),
    'tls.crt': read('certs/tls.crt'),
    'tls.key': read('certs/tls.key'),
    'function-key': read('function-key'),
  };
  const objects = await renderOverlay('overlays/files', { files }, `https://127.0.0.1:${stack.proxyPort}/admission`);
  manifests = asList(objects);
}, 900_000);

afterAll(() => stopClusterWithStack(server, stack));

describe('kubectl apply -k overlays/files, server-side', () => {
  it('applies cleanly from an empty cluster', async () => {
    const applied = await kubectl(server, ['apply', '--server-side', '--field-manager=flux', '-f', '-'], manifests);
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toContain(
      'validatingwebhookconfiguration.admissionregistration.k8s.io/serverless-admission',
    );
  });

  it('registers a webhook that the API server can call with the CA the overlay carries', async () => {
    const denied = await kubectl(server, ['apply', '-f', '-'], deploymentManifest('shop', 'small', 2));
    expect(denied.stderr).toContain('has 2 replicas; the minimum is 3');
    const admitted = await kubectl(server, ['apply', '-f', '-'], deploymentManifest('shop', 'web', 3));
    expect(admitted.code).toBe(0);
  });

  it('registers webhookScope as the API server stores it, ephemeral containers included', async () => {
    const stored = await kubectl(server, [
      'get',
      'validatingwebhookconfiguration/serverless-admission',
      '-o',
      'jsonpath={.webhooks[0].rules}',
    ]);
    expect(JSON.parse(stored.stdout)).toEqual(webhookScope.map((rule) => ({ ...rule, scope: 'Namespaced' })));
  });

  it('leaves nothing to change on a second apply (no drift for Flux)', async () => {
    await kubectl(server, ['apply', '--server-side', '--field-manager=flux', '-f', '-'], manifests);
    const diff = await kubectl(server, ['diff', '--server-side', '--field-manager=flux', '-f', '-'], manifests);
    expect(diff.stdout).toBe('');
    expect(diff.code).toBe(0);
  });

  it('puts the function key and the serving pair in the Secrets the proxy mounts', async () => {
    const key = await kubectl(server, [
      '-n',
      'admission-system',
      'get',
      'secret/admission-proxy-function-key',
      '-o',
      'jsonpath={.data.key}',
    ]);
    expect(Buffer.from(key.stdout, 'base64').toString('utf8')).toBe(
      readFileSync(join(stack.state, 'function-key'), 'utf8'),
    );
  });
});
