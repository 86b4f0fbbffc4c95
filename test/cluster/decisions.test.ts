// Through a real kube-apiserver (v1.20): the project's webhook configuration, pointed at
// the local stack (TLS proxy -> function), decides Deployment creates, updates and
// `kubectl scale` as the API server sends them (defaulted objects, the scale
// subresource, dry runs, the retry of a denied update).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { webhookPointedAt } from '../helpers/cluster-webhook.js';
import { startClusterWithStack, stopClusterWithStack } from '../helpers/cluster-with-stack.js';
import { type ApiServer, deploymentManifest, kubectl } from '../helpers/kube-apiserver.js';
import type { LocalStack } from '../helpers/local-stack.js';

let server: ApiServer;
let stack: LocalStack;

beforeAll(async () => {
  ({ server, stack } = await startClusterWithStack());
  const webhook = webhookPointedAt(`https://127.0.0.1:${stack.proxyPort}/admission`, stack.ca);
  const applied = await kubectl(server, ['apply', '-f', '-'], JSON.stringify(webhook));
  expect(applied.stderr).toBe('');
}, 900_000);

afterAll(() => stopClusterWithStack(server, stack));

const bodies = (): string[] => stack.texts().map((text) => text.body);

describe('decisions through a real API server', () => {
  it('refuses a Deployment below the minimum, naming the count and the minimum', async () => {
    const result = await kubectl(server, ['apply', '-f', '-'], deploymentManifest('shop', 'small', 2));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('admission webhook "deployments.admission.serverless.io" denied the request');
    expect(result.stderr).toContain('has 2 replicas; the minimum is 3');
  });

  it('admits one at the minimum, and counts a Deployment without replicas as 1 (the API server defaults it)', async () => {
    expect((await kubectl(server, ['apply', '-f', '-'], deploymentManifest('shop', 'web', 3))).code).toBe(0);
    const unset = JSON.parse(deploymentManifest('shop', 'unset', 3));
    delete unset.spec.replicas;
    const result = await kubectl(server, ['apply', '-f', '-'], JSON.stringify(unset));
    expect(result.stderr).toContain('deployment shop/unset has 1 replica');
  });

  it('refuses kubectl scale below the minimum through the scale subresource', async () => {
    const result = await kubectl(server, ['-n', 'shop', 'scale', 'deployment/web', '--replicas=1']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('cannot be scaled to 1 replica; the minimum is 3');
    const replicas = await kubectl(server, ['-n', 'shop', 'get', 'deployment/web', '-o', 'jsonpath={.spec.replicas}']);
    expect(replicas.stdout).toBe('3');
  });

  it('decides a server-side dry run the same way, and sends no text for it', async () => {
    const result = await kubectl(
      server,
      ['apply', '--dry-run=server', '-f', '-'],
      deploymentManifest('shop', 'dry', 1),
    );
    expect(result.stderr).toContain('has 1 replica; the minimum is 3');
    // Texts travel by queue and arrive later: a real denial made after the dry run is the
    // marker; once its text is here, a text for the dry run would have been sent too.
    await kubectl(server, ['apply', '-f', '-'], deploymentManifest('shop', 'after-dry', 1));
    await vi.waitFor(() => expect(bodies().some((body) => body.includes('shop/after-dry'))).toBe(true), {
      timeout: 20_000,
      interval: 200,
    });
    expect(bodies().filter((body) => body.includes('shop/dry'))).toEqual([]);
  });

  it('texts ops about what it blocked and what it admitted', async () => {
    await vi.waitFor(
      () => {
        expect(bodies().some((body) => body.includes('BLOCKED deployment shop/small'))).toBe(true);
        expect(bodies().some((body) => body.includes('NEW deployment shop/web'))).toBe(true);
      },
      { timeout: 20_000, interval: 200 },
    );
  });
});
