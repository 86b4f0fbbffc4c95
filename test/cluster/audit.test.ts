// admission-check audit against a real kube-apiserver (v1.20): what the cluster already
// holds, decided with the webhook's policy. Enough Deployments to need several pages at
// --page-size 5, the namespaces the webhook is not sent, a namespace filter, the SMS
// summary, and an identity that may list Deployments but not the other workloads.
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, deploymentManifest, kubectl, run, startApiServer } from '../helpers/kube-apiserver.js';

const bin = fileURLToPath(new URL('../../dist/cli/admission-check.js', import.meta.url));
let server: ApiServer;

const audit = (args: string[]) =>
  run(process.execPath, [bin, 'audit', '--kubeconfig', server.kubeconfig, ...args], {
    env: { PATH: process.env.PATH },
  });

const list = (...manifests: string[]) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'List', items: manifests.map((text) => JSON.parse(text)) });

beforeAll(async () => {
  server = startApiServer();
  for (const namespace of ['shop', 'team-b', 'sandbox']) await kubectl(server, ['create', 'namespace', namespace]);
  await kubectl(server, ['label', 'namespace', 'sandbox', 'admission.serverless.io/skip=true']);
  const fleet = Array.from({ length: 12 }, (_, index) => deploymentManifest('team-b', `api-${index}`, 3));
  const objects = [
    deploymentManifest('shop', 'small', 1),
    deploymentManifest('shop', 'web', 3),
    deploymentManifest('sandbox', 'toy', 1),
    deploymentManifest('kube-system', 'dns', 1),
    ...fleet,
  ];
  const applied = await kubectl(server, ['apply', '-f', '-'], list(...objects));
  expect(applied.code).toBe(0);
}, 900_000);

afterAll(() => server?.stop());

describe('admission-check audit against a real API server', () => {
  it('reports per namespace and rule, paging through the lists, and exits 1 for a denial', async () => {
    const result = await audit(['--page-size', '5']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'namespace shop: 2 objects\n  minimum-replicas (deny): 1 object\n    Deployment shop/small: deployment shop/small has 1 replica',
    );
    expect(result.stdout).toContain('namespace team-b: 12 objects: nothing found');
    expect(result.stdout).toMatch(
      /16 objects in 4 namespaces: 13 allowed, 1 denied, 0 warned, 0 exempt, 2 not sent to the webhook$/m,
    );
    const json = JSON.parse((await audit(['--page-size', '5', '--format', 'json'])).stdout);
    // 16 Deployments in 4 pages of at most 5, and the 7 namespaces in 2.
    expect(json.summary.listRequests).toBe(6);
    expect(json.policy).toBe('built-in (MIN_REPLICAS=3)');
  });

  it('keeps to the namespaces named with --namespace', async () => {
    const result = await audit(['--namespace', 'team-b', '--namespace', 'sandbox', '--format', 'json']);
    expect(result.code).toBe(0);
    const names = JSON.parse(result.stdout).namespaces.map((entry: { namespace: string }) => entry.namespace);
    expect(names).toEqual(['sandbox', 'team-b']);
  });

  it('fits its summary in one SMS', async () => {
    const result = await audit(['--format', 'sms']);
    expect(result.stdout).toBe('audit local: 1 denied, 0 warned of 16; minimum-replicas 1\n');
    expect(result.stdout.trimEnd().length).toBeLessThanOrEqual(160);
  });

  it('names each list it may not read (403), audits the rest, and exits 3 when nothing is denied', async () => {
    const kubeconfig = join(server.directory, 'auditor.kubeconfig');
    copyFileSync(server.kubeconfig, kubeconfig);
    const rules = '--verb=list --resource=deployments.apps,namespaces';
    await kubectl(server, ['create', 'clusterrole', 'deployment-reader', ...rules.split(' ')]);
    await kubectl(server, ['-n', 'team-b', 'create', 'serviceaccount', 'auditor']);
    await kubectl(server, [
      'create',
      'clusterrolebinding',
      'auditor',
      '--clusterrole=deployment-reader',
      '--serviceaccount=team-b:auditor',
    ]);
    const token = (await kubectl(server, ['-n', 'team-b', 'create', 'token', 'auditor'])).stdout.trim();
    const config = (args: string[]) => run('kubectl', ['--kubeconfig', kubeconfig, 'config', ...args]);
    await config(['set-credentials', 'auditor', `--token=${token}`]);
    await config(['set-context', 'auditor', '--cluster=local', '--user=auditor']);
    const result = await run(
      process.execPath,
      [
        bin,
        'audit',
        '--kubeconfig',
        kubeconfig,
        '--context',
        'auditor',
        '--scope',
        'all-workloads',
        '--namespace',
        'team-b',
      ],
      {
        env: { PATH: process.env.PATH },
      },
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      'admission-check: FORBIDDEN: apps/v1 statefulsets (namespace team-b): forbidden: your identity may not list this (HTTP 403)',
    );
    expect(result.stderr).toContain('FORBIDDEN: core/v1 pods (namespace team-b)');
    expect(result.stdout).toContain('namespace team-b: 12 objects: nothing found');
  });

  it('refuses a context the kubeconfig does not have, in one line (exit 2)', async () => {
    const result = await audit(['--context', 'nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('admission-check: NO_CONTEXT: the kubeconfig has no context named nope (--context)\n');
  });

  it('follows the installed webhook configuration: with StatefulSets registered, it audits them too', async () => {
    const statefulSet = JSON.parse(deploymentManifest('shop', 'db', 1));
    statefulSet.kind = 'StatefulSet';
    statefulSet.spec.serviceName = 'db';
    expect((await kubectl(server, ['apply', '-f', '-'], JSON.stringify(statefulSet))).code).toBe(0);
    const rule = { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], scope: 'Namespaced' };
    const webhook = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'serverless-admission' },
      webhooks: [
        {
          name: 'deployments.admission.serverless.io',
          admissionReviewVersions: ['v1'],
          sideEffects: 'None',
          // Nothing listens there: Ignore, so the API server goes on without it.
          failurePolicy: 'Ignore',
          clientConfig: { url: 'https://127.0.0.1:1/admission' },
          rules: [{ ...rule, resources: ['deployments', 'deployments/scale', 'statefulsets'] }],
        },
      ],
    };
    expect((await kubectl(server, ['apply', '-f', '-'], JSON.stringify(webhook))).code).toBe(0);
    const policy = join(server.directory, 'policy.yaml');
    writeFileSync(
      policy,
      'apiVersion: admission.serverless.io/v1\nkind: AdmissionPolicy\nrules:\n  - {name: replicas, builtin: minimum-replicas, minimum: 3}\n',
    );
    const result = await audit(['--policy', policy, '--namespace', 'shop']);
    expect(result.stdout).toContain('webhook rules: the installed ValidatingWebhookConfiguration serverless-admission');
    expect(result.stdout).toContain('  replicas (deny): 2 objects\n    Deployment shop/small');
    expect(result.stdout).toContain('    StatefulSet shop/db: statefulset shop/db has 1 replica');
    const chosen = await audit(['--policy', policy, '--namespace', 'shop', '--scope', 'webhook']);
    expect(chosen.stdout).not.toContain('StatefulSet');
  });
});
