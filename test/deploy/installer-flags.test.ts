// --kubeconfig and --context on every command, each failure named with its code, and
// each command refusing flags that are not its own.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useInstallerHarness } from './installer-harness.js';

const h = useInstallerHarness();
/** No KUBECONFIG and no ~/.kube/config: only the flags can name a cluster. */
const noDefault = () => ({ KUBECONFIG: join(h.work, 'no-such-kubeconfig') });

describe('--kubeconfig and --context', () => {
  it.each([
    ['status', ['status']],
    ['uninstall', ['uninstall']],
    ['rotate-ca', ['rotate-ca', '--settle-seconds', '0', '--grace-seconds', '0']],
  ])('%s reads the cluster from --kubeconfig when nothing else names one', async (_name, args) => {
    const result = await h.run([...args, '--kubeconfig', h.api.kubeconfig], noDefault());
    expect(result.stderr).not.toContain('NO_KUBECONFIG');
    expect(h.api.requests.length).toBeGreaterThan(0);
  });

  it('install applies to the cluster --kubeconfig names', async () => {
    const result = await h.run([...h.installArgs(), '--kubeconfig', h.api.kubeconfig], noDefault());
    expect(result.code).toBe(0);
    expect(h.applied()).toContain('ValidatingWebhookConfiguration serverless-admission');
  });

  it('uses the context --context names instead of the current one', async () => {
    const result = await h.run(['status', '--kubeconfig', h.api.kubeconfig, '--context', 'elsewhere']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/UNREACHABLE: cannot reach the cluster at http:\/\/127\.0\.0\.1:9 /);
    expect(h.api.requests).toEqual([]);
    const current = await h.run(['status', '--context', 'fake']);
    expect(current.stdout).toContain('webhook: not registered');
  });

  it('names a context the kubeconfig does not have', async () => {
    const result = await h.run([...h.installArgs(), '--context', 'prod-westeurope']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'installer: NO_CONTEXT: the kubeconfig has no context named prod-westeurope (--context); kubectl config get-contexts',
    );
    expect(h.api.requests).toEqual([]);
  });

  it('names a kubeconfig file that does not exist, or is not a kubeconfig', async () => {
    const missing = join(h.work, 'admin.conf');
    const result = await h.run(['status', '--kubeconfig', missing]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`installer: NO_KUBECONFIG: no kubeconfig at ${missing} (--kubeconfig)`);
    const notOne = await h.run(['uninstall', '--kubeconfig', join(h.work, 'function-key')]);
    expect(notOne.stderr).toContain('NO_KUBECONFIG');
    expect(notOne.stderr).not.toContain('fk_installer_test');
  });
});

describe('the flags of each command', () => {
  it.each([
    ['status', ['status', '--dry-run']],
    ['uninstall', ['uninstall', '--certs-dir', 'x']],
    ['rotate-ca', ['rotate-ca', '--function-url', 'https://x.example.com/api/admission']],
  ])('%s refuses a flag of another command', async (_name, args) => {
    const result = await h.run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('installer: USAGE: Unknown option');
    expect(h.api.requests).toEqual([]);
  });

  it('refuses an unknown command and a malformed number, naming the flag', async () => {
    expect((await h.run(['upgrade'])).stderr).toContain('expected install, rotate-ca, uninstall or status');
    const result = await h.run(['rotate-ca', '--grace-seconds', 'soon']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--grace-seconds:');
  });

  it('refuses a --webhook-url the API server would not take', async () => {
    for (const url of ['http://127.0.0.1:8443/admission', 'https://127.0.0.1:8443/admission?x=1']) {
      const result = await h.run(['rotate-ca', '--webhook-url', url]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('--webhook-url:');
    }
  });
});
