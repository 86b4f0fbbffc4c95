// The installer against a real kube-apiserver (v1.20), from an empty cluster: install
// with the webhook pointed at the local stack, decisions through it, a second install
// that changes nothing, a CA rotation while reviews keep flowing (none refused),
// status, uninstall, and an interrupted install that leaves the cluster usable.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { webhookScope } from '../../functions/core/index.js';
import { startClusterWithStack, stopClusterWithStack } from '../helpers/cluster-with-stack.js';
import { installFlags, runInstaller, startInstaller } from '../helpers/installer-cli.js';
import { type ApiServer, deploymentManifest, kubectl } from '../helpers/kube-apiserver.js';
import type { LocalStack } from '../helpers/local-stack.js';

let server: ApiServer;
let stack: LocalStack;

beforeAll(async () => {
  ({ server, stack } = await startClusterWithStack({ RELOAD_INTERVAL_MS: '500' }));
}, 900_000);

afterAll(() => stopClusterWithStack(server, stack));

const webhookVersion = async () =>
  (
    await kubectl(server, [
      'get',
      'validatingwebhookconfiguration/serverless-admission',
      '-o',
      'jsonpath={.metadata.resourceVersion}',
    ])
  ).stdout;

describe('the installer against a real API server', () => {
  it('installs from an empty cluster and registers the webhook last', async () => {
    const result = await runInstaller(['install', ...installFlags(server, stack)]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/proxy ready[\s\S]*the webhook is live/);
  });

  it('registers webhookScope, ephemeral containers included', async () => {
    const stored = await kubectl(server, [
      'get',
      'validatingwebhookconfiguration/serverless-admission',
      '-o',
      'jsonpath={.webhooks[0].rules}',
    ]);
    expect(JSON.parse(stored.stdout)).toEqual(webhookScope.map((rule) => ({ ...rule, scope: 'Namespaced' })));
  });

  it('lets the webhook decide through the proxy', async () => {
    const denied = await kubectl(server, ['apply', '-f', '-'], deploymentManifest('shop', 'small', 2));
    expect(denied.stderr).toContain('has 2 replicas; the minimum is 3');
    expect((await kubectl(server, ['apply', '-f', '-'], deploymentManifest('shop', 'web', 3))).code).toBe(0);
  });

  it('changes nothing when run a second time', async () => {
    const before = await webhookVersion();
    expect((await runInstaller(['install', ...installFlags(server, stack)])).code).toBe(0);
    expect(await webhookVersion()).toBe(before);
  });

  it('rotates the CA while reviews keep coming, with none refused', async () => {
    let rotating = true;
    const outcomes: number[] = [];
    const traffic = async (lane: number) => {
      for (let index = 0; rotating; index++) {
        const manifest = deploymentManifest('shop', `traffic-${lane}-${index}`, 3);
        outcomes.push((await kubectl(server, ['apply', '--dry-run=server', '-f', '-'], manifest)).code);
      }
    };
    const lanes = [traffic(0), traffic(1), traffic(2)];
    const rotation = await runInstaller([
      'rotate-ca',
      ...installFlags(server, stack).slice(0, 6),
      '--settle-seconds',
      '2',
    ]);
    rotating = false;
    await Promise.all(lanes);
    expect(rotation.stderr).toBe('');
    expect(rotation.stdout).toMatch(/step 1\/4[\s\S]*step 2\/4[\s\S]*step 3\/4[\s\S]*step 4\/4/);
    console.log(
      `CA rotation: ${outcomes.length} reviews during it, ${outcomes.filter((code) => code !== 0).length} refused`,
    );
    expect(outcomes.length).toBeGreaterThan(20);
    expect(outcomes.filter((code) => code !== 0)).toEqual([]);
    const afterwards = await kubectl(server, ['apply', '-f', '-'], deploymentManifest('shop', 'after', 2));
    expect(afterwards.stderr).toContain('has 2 replicas; the minimum is 3');
  }, 300_000);

  it('reports the days left on the CA and the serving certificate', async () => {
    const status = await runInstaller(['status', '--kubeconfig', server.kubeconfig]);
    expect(status.stdout).toMatch(/CA: .*days/);
    expect(status.stdout).toMatch(/certificate: .*days/);
    expect(status.code).toBe(0);
  });

  it('uninstalls, after which any Deployment goes through', async () => {
    expect((await runInstaller(['uninstall', '--kubeconfig', server.kubeconfig])).code).toBe(0);
    const webhooks = await kubectl(server, ['get', 'validatingwebhookconfigurations', '-o', 'name']);
    expect(webhooks.stdout).toBe('');
    expect((await kubectl(server, ['apply', '-f', '-'], deploymentManifest('shop', 'single', 1))).code).toBe(0);
  });

  it('leaves the cluster usable when an install is interrupted while it waits for the proxy', async () => {
    await kubectl(server, ['create', 'namespace', 'later']);
    // Nothing listens on port 1: the installer waits for a proxy that never gets ready.
    const install = startInstaller(['install', ...installFlags(server, stack, 1)]);
    await vi.waitFor(() => expect(install.output()).toContain('waiting up to'), { timeout: 60_000, interval: 100 });
    install.child.kill('SIGINT');
    await new Promise((resolve) => install.child.once('exit', resolve));
    const webhooks = await kubectl(server, ['get', 'validatingwebhookconfigurations', '-o', 'name']);
    expect(webhooks.stdout).toBe('');
    expect((await kubectl(server, ['apply', '-f', '-'], deploymentManifest('later', 'single', 1))).code).toBe(0);
  }, 120_000);
});
