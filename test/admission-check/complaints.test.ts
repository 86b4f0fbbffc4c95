// Issue 18, tried as a team would: each complaint about admission-check as a test that
// failed on the release before the fix (ADMISSION_CHECK_BIN=<old build> shows it).
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const deployment = (name: string, replicas: number, namespace = 'shop', image = 'nginx:1.27') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec:\n  replicas: ${replicas}\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec: {containers: [{name: a, image: "${image}"}, {name: b, image: "${image}"}]}\n`;

function folderWith(files: Record<string, string>): string {
  const directory = mkdtempSync(join(tmpdir(), 'check-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(directory, name, '..'), { recursive: true });
    writeFileSync(join(directory, name), text);
  }
  return directory;
}

describe('admission-check, as issue 18 found it', () => {
  it('reports a Chart.yaml among the manifests and still checks the rest (exit 3)', async () => {
    const directory = folderWith({
      'Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 0.1.0\n',
      'web.yaml': deployment('web', 3),
    });
    const result = await runCli([directory]);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('ALLOWED  Deployment shop/web');
    expect(result.stderr).toMatch(/^admission-check: MANIFEST_INVALID: .*Chart\.yaml:1: not a Kubernetes object/m);
  });

  it('reports one malformed object and decides the others; a denial still wins (exit 1)', async () => {
    const broken =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x, namespace: shop}\nspec: {replicas: three}\n';
    const directory = folderWith({ 'a.yaml': `${broken}---\n${deployment('small', 1)}` });
    const result = await runCli([directory]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('DENIED   Deployment shop/small');
    expect(result.stderr).toMatch(
      /MANIFEST_INVALID: .*a\.yaml:1: object\.spec\.replicas: Invalid input: expected number/,
    );
  });

  it('does not judge kinds the webhook is never sent (a Pod, with the default webhook registration)', async () => {
    const pod =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: debug, namespace: ops}\nspec: {containers: [{name: a, image: "x:latest", securityContext: {privileged: true}}]}\n';
    const result = await runCli(['--policy', 'test/fixtures/policy-all-rules.yaml', '-'], { stdin: pod });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('SKIPPED  Pod ops/debug (not sent: the webhook is not registered for pods)');
    const all = await runCli(['--scope', 'all-workloads', '--policy', 'test/fixtures/policy-all-rules.yaml', '-'], {
      stdin: pod,
    });
    expect(all.code).toBe(1);
  });

  it("allows the project's own manifests, with the starting policy and with every rule", async () => {
    expect((await runCli(['deploy/kubernetes'])).code).toBe(0);
    const strict = await runCli(['--policy', 'test/fixtures/policy-all-rules.yaml', 'deploy/kubernetes']);
    expect(strict.code).toBe(0);
    expect(strict.stdout).toContain(
      "SKIPPED  Deployment admission-system/admission-proxy (not sent: namespace admission-system is excluded by the webhook's namespaceSelector)",
    );
  });

  it('gives cluster-scoped objects no namespace, even with --namespace', async () => {
    const text =
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: reader, namespace: oops}\n';
    const result = await runCli(['--format', 'json', '--namespace', 'team', '-'], { stdin: text });
    const { results } = JSON.parse(result.stdout);
    expect(results.map((entry: { namespace: string }) => entry.namespace)).toEqual(['', '']);
  });

  it('counts every warning it printed, on denied objects too', async () => {
    const policy =
      'apiVersion: admission.serverless.io/v1\nkind: AdmissionPolicy\nrules:\n  - {name: tag, builtin: image-tag, action: warn}\n  - {name: min, builtin: minimum-replicas, minimum: 3}\n';
    const files = Object.fromEntries(
      [1, 2, 3, 4].map((n) => [`d${n}.yaml`, deployment(`d${n}`, 1, 'shop', 'nginx:latest')]),
    );
    const directory = folderWith({ ...files, 'policy.yaml': policy });
    const result = await runCli(['d1.yaml', 'd2.yaml', 'd3.yaml', 'd4.yaml'], { cwd: directory });
    const printed = result.stdout.split('\n').filter((line) => line.includes('tag (warn):')).length;
    expect(printed).toBe(8);
    expect(result.stdout).toMatch(/4 checked: 0 allowed, 4 denied, 0 warned; 8 warnings; policy: policy\.yaml/);
  });

  it('names the rule, its action and the policy file in JSON', async () => {
    const result = await runCli(['--format', 'json', 'test/fixtures/manifests/bad/single-replica.yaml']);
    const report = JSON.parse(result.stdout);
    expect(report.policy).toBe('built-in (MIN_REPLICAS=3)');
    expect(report.results[0].rules).toEqual([
      expect.objectContaining({ rule: 'minimum-replicas', action: 'deny', result: 'deny' }),
    ]);
  });

  it('refuses /dev/zero in one line instead of reading it forever', async () => {
    const result = await runCli(['/dev/zero']);
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(
      'admission-check: INPUT_UNREADABLE: /dev/zero: not a regular file (a device, FIFO or socket is not read)\n',
    );
  });

  it('reports a YAML alias bomb and a symlink loop in one line each (exit 3)', async () => {
    const level = (name: string, from: string) => `${name}: &${name} [${Array(10).fill(`*${from}`).join(',')}]`;
    const bomb = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: bomb}',
      'a: &a [x,x,x,x,x,x,x,x,x,x]',
      level('b', 'a'),
      level('c', 'b'),
      level('d', 'c'),
      level('e', 'd'),
      level('f', 'e'),
    ].join('\n');
    const directory = folderWith({ 'bomb.yaml': `${bomb}\n` });
    symlinkSync(join(directory, 'loop-a.yaml'), join(directory, 'loop-b.yaml'));
    symlinkSync(join(directory, 'loop-b.yaml'), join(directory, 'loop-a.yaml'));
    const result = await runCli([directory]);
    expect(result.code).toBe(3);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(result.stderr).toMatch(/^admission-check: MANIFEST_INVALID: .*bomb\.yaml:1: YAML aliases expand too far/m);
    expect(result.stderr).toMatch(/^admission-check: INPUT_UNREADABLE: .*loop-a\.yaml: a symbolic link loop$/m);
  });
});
