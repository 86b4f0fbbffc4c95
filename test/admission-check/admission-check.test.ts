// The admission-check CLI as CI runs it (the built bin), over good and bad manifests.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { root, runCli } from './run-cli.js';

const manifests = fileURLToPath(new URL('../fixtures/manifests/', import.meta.url));

function check(args: string[], stdin?: string, env: Record<string, string> = {}, cwd = root) {
  return runCli(args, { ...(stdin === undefined ? {} : { stdin }), env, cwd });
}

describe('admission-check', () => {
  it('prints the table and exits 1 over a directory with bad manifests', async () => {
    const result = await check(['test/fixtures/manifests']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      [
        'DENIED   Deployment shop/search  test/fixtures/manifests/bad/no-replicas-list.yaml:2',
        '         minimum-replicas (deny): deployment shop/search does not set spec.replicas (so runs 1 replica); the minimum is 3. Set spec.replicas to 3 or more and re-apply.',
        'DENIED   Deployment shop/cart  test/fixtures/manifests/bad/single-replica.yaml:1',
        '         minimum-replicas (deny): deployment shop/cart has 1 replica; the minimum is 3. Set spec.replicas to 3 or more and re-apply.',
        'ALLOWED  Deployment shop/web  test/fixtures/manifests/good/shop.yaml:2',
        'SKIPPED  Service shop/web (not sent: the webhook is not registered for services)  test/fixtures/manifests/good/shop.yaml:25',
        'ALLOWED  Deployment default/worker  test/fixtures/manifests/good/worker.json:1',
        '5 checked: 2 allowed, 2 denied, 0 warned, 1 not sent to the webhook; 0 warnings; policy: built-in (MIN_REPLICAS=3)',
        '',
      ].join('\n'),
    );
  });

  it('exits 0 when nothing is denied, and takes the namespace for objects without one', async () => {
    const result = await check(['--namespace', 'team-a', join(manifests, 'good')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('ALLOWED  Deployment team-a/worker');
  });

  it('gives stable JSON for tools', async () => {
    const result = await check(['--format', 'json', join(manifests, 'bad', 'single-replica.yaml')]);
    expect(JSON.parse(result.stdout)).toEqual({
      version: 1,
      policy: 'built-in (MIN_REPLICAS=3)',
      results: [
        {
          file: join(manifests, 'bad', 'single-replica.yaml'),
          line: 1,
          kind: 'Deployment',
          namespace: 'shop',
          name: 'cart',
          allowed: false,
          decision: 'denied',
          message: 'deployment shop/cart has 1 replica; the minimum is 3. Set spec.replicas to 3 or more and re-apply.',
          violations: [
            'deployment shop/cart has 1 replica; the minimum is 3. Set spec.replicas to 3 or more and re-apply.',
          ],
          warnings: [],
          note: null,
          rules: [
            {
              rule: 'minimum-replicas',
              action: 'deny',
              result: 'deny',
              messages: [
                'deployment shop/cart has 1 replica; the minimum is 3. Set spec.replicas to 3 or more and re-apply.',
              ],
            },
          ],
        },
      ],
      problems: [],
      summary: { checked: 1, allowed: 0, denied: 1, warned: 0, exempt: 0, notSent: 0, warnings: 0, unreadable: 0 },
    });
  });

  it('reads standard input', async () => {
    const result = await check(
      ['-'],
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {replicas: 5}\n',
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('ALLOWED  Deployment default/a  (stdin):1');
  });

  it('applies policy.yaml in the working directory when no policy is named, as the app does at its root', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'check-'));
    const rule = '  - {name: tiny, builtin: cel, expression: "object.spec.replicas <= 2", message: at most 2 here}';
    writeFileSync(
      join(directory, 'policy.yaml'),
      `apiVersion: admission.serverless.io/v1\nkind: AdmissionPolicy\nrules:\n${rule}\n`,
    );
    writeFileSync(
      join(directory, 'web.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 3}\n',
    );
    const result = await check(['web.yaml'], undefined, {}, directory);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('at most 2 here');
  });

  it('uses MIN_REPLICAS like the function app', async () => {
    const result = await check([join(manifests, 'bad', 'single-replica.yaml')], undefined, { MIN_REPLICAS: '1' });
    expect(result.code).toBe(0);
  });

  it.each<[string, string, RegExp]>([
    ['broken YAML', 'apiVersion: apps/v1\nkind: Deployment\nspec: [\n', /broken\.yaml:\d+: not valid YAML or JSON/],
    [
      'a document without a kind',
      'apiVersion: v1\nmetadata: {name: x}\n',
      /broken\.yaml:1: not a Kubernetes object: apiVersion and kind are required/,
    ],
    [
      'replicas that are not a number',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  replicas: three\n',
      /broken\.yaml:1: object\.spec\.replicas: Invalid input: expected number, received string/,
    ],
    [
      'a List with an item that is not an object (never skipped, never passed as a "List")',
      'apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: apps/v1, kind: Deployment, metadata: {name: x}, spec: {replicas: 3}}\n  - null\n',
      /broken\.yaml:1: items\[1\]: not a Kubernetes object/,
    ],
  ])('reports %s in one line naming file and line, and exits 3', async (_what, text, message) => {
    const directory = mkdtempSync(join(tmpdir(), 'check-'));
    writeFileSync(join(directory, 'broken.yaml'), text);
    const result = await check([join(directory, 'broken.yaml')]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('applies a policy file: the table over good and bad manifests, and exit code 1', async () => {
    const policy = ['--policy', 'test/fixtures/policy-all-rules.yaml', '--scope', 'all-workloads'];
    const result = await check([...policy, 'test/fixtures/policy-manifests']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      [
        'DENIED   Pod ops/debug  test/fixtures/policy-manifests/bad/debug-pod.yaml:2',
        '         no-privileged (deny): pod ops/debug: container shell is privileged. Remove securityContext.privileged.',
        "         no-host-namespaces (deny): pod ops/debug shares the host's namespaces (hostNetwork). Remove them from the pod spec.",
        '         no-host-path (deny): pod ops/debug mounts hostPath volumes (root). Use a PersistentVolumeClaim, emptyDir or ConfigMap instead.',
        'DENIED   CronJob reports/nightly-report  test/fixtures/policy-manifests/bad/report-cronjob.yaml:2',
        '         image-tag (deny): cronjob reports/nightly-report: container report uses the tag latest (docker.io/acme/report:latest). Pin a version tag or a digest.',
        '         allowed-registries (deny): cronjob reports/nightly-report: container report pulls docker.io/acme/report:latest, which is not from an allowed registry (myregistry.azurecr.io/, mcr.microsoft.com/).',
        'ALLOWED  Deployment prod-payments/payments  test/fixtures/policy-manifests/good/payments.yaml:2',
        'EXEMPT   Deployment legacy-billing/old-billing (exempt by policy)  test/fixtures/policy-manifests/good/payments.yaml:25',
        '4 checked: 1 allowed, 2 denied, 0 warned, 1 exempt; 0 warnings; policy: test/fixtures/policy-all-rules.yaml',
        '',
      ].join('\n'),
    );
    const good = await check([...policy, 'test/fixtures/policy-manifests/good']);
    expect(good.code).toBe(0);
  });

  it('exits 2 naming the rule when the policy does not compile', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'check-'));
    writeFileSync(
      join(directory, 'policy.yaml'),
      'apiVersion: admission.serverless.io/v1\nkind: AdmissionPolicy\nrules:\n  - {name: typo, builtin: cel, expression: "objct.x", message: m}\n',
    );
    const result = await check(['--policy', join(directory, 'policy.yaml'), join(manifests, 'good')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('rule typo: the expression does not type-check');
  });

  it('reports a missing file (exit 3), and exits 2 with usage for no arguments', async () => {
    const missing = await check(['nope.yaml']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toBe('admission-check: INPUT_UNREADABLE: nope.yaml: no such file or directory\n');
    const none = await check([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('usage: admission-check');
  });
});

describe('admission-check --help', () => {
  it('lists the subcommands and every exit code the README lists', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const word of [
      'admission-check test',
      'admission-check audit',
      '--format text|json|junit',
      '--format text|json|sms',
    ]) {
      expect(help.stdout).toContain(word);
    }
    expect(help.stdout.match(/^ {2}[0-3] {2}\S/gm)).toEqual(['  0  n', '  1  s', '  2  u', '  3  s']);
  });
});
