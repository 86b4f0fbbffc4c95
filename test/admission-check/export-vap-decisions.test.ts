// Exported rules decide as the engine does: each rule of the policies, exported and run
// on the engine's CEL (export-vap-harness.ts), against the engine's own decision for
// that rule alone, on objects that pass and objects that break it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { exportVap } from '../../deploy/admission-check/export-vap.js';
import { policyFileSchema } from '../../functions/core/index.js';
import { type ReadOptions, readWorkload } from '../core/read-workload.js';
import { type Binding, runEngine, runVap, type Vap, vapOutcome } from './export-vap-harness.js';
import { root } from './run-cli.js';

const good = {
  securityContext: { runAsNonRoot: true },
  containers: [
    {
      name: 'web',
      image: 'myregistry.azurecr.io/shop/web:1.4',
      readinessProbe: { httpGet: { path: '/', port: 80 } },
      resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '64Mi' } },
    },
  ],
};
const bad = {
  hostPID: true,
  volumes: [{ name: 'root', hostPath: { path: '/' } }],
  initContainers: [{ name: 'setup', image: 'busybox' }],
  containers: [{ name: 'web', image: 'nginx:latest', securityContext: { privileged: true, runAsNonRoot: false } }],
};
const mixed = {
  containers: [
    { name: 'a', image: 'mcr.microsoft.com/oss/kube:1.2', resources: { requests: { cpu: '1' } } },
    { name: 'b', image: 'docker.io/library/busybox:1.36', securityContext: { runAsNonRoot: true } },
    { name: 'c', image: 'MyRegistry.azurecr.io/shopping/web@sha256:abc' },
  ],
};

const labels = { 'app.kubernetes.io/name': 'web', owner: 'shop', team: 'a' };
const deployment = (spec: object, replicas = 3, metadata: object = { name: 'web', labels }) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata,
  spec: { replicas, selector: {}, template: { metadata: { labels: { debug: 'x' } }, spec } },
});
const cronJob = (spec: object) => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'web', labels },
  spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec } } } },
});
const pod = (spec: object, metadata: object = { name: 'web' }) => ({ apiVersion: 'v1', kind: 'Pod', metadata, spec });

type Case = [string, string, unknown, ReadOptions?];

/** kubectl debug on a Pod whose own container breaks the container rules: only what it adds is checked. */
function debugCases(): Case[] {
  const before = pod({ containers: [{ name: 'web', image: 'nginx:latest' }] });
  const adding = (image: string) =>
    pod({
      ...before.spec,
      ephemeralContainers: [{ name: 'debugger', image, securityContext: { runAsNonRoot: true } }],
    });
  const options = { subResource: 'ephemeralcontainers', oldObject: before, namespace: 'prod-a' };
  return [
    ['kubectl debug adding a pinned image', 'Pod', adding('myregistry.azurecr.io/shop/debug:1'), options],
    ['kubectl debug adding busybox', 'Pod', adding('busybox'), options],
  ];
}
const cases: Case[] = [
  ['a compliant Deployment', 'Deployment', deployment(good)],
  ['a Deployment of 60 replicas', 'Deployment', deployment(good, 60)],
  ['a Deployment that breaks every built-in', 'Deployment', deployment(bad, 1, { name: 'web' })],
  ['a Deployment of exempt and odd images', 'Deployment', deployment(mixed, 2)],
  ['a CronJob that breaks the pod rules', 'CronJob', cronJob(bad)],
  ['a compliant Pod in prod-a', 'Pod', pod(good), { namespace: 'prod-a' }],
  ['a Pod without probes in prod-a', 'Pod', pod(bad), { namespace: 'prod-a' }],
  ['a Pod without probes in staging', 'Pod', pod(mixed), { namespace: 'staging' }],
  ['a Pod without probes in dev', 'Pod', pod(bad), { namespace: 'dev' }],
  ['a Deployment in an exempt namespace', 'Deployment', deployment(bad, 1), { namespace: 'legacy-a' }],
  ['a Deployment in prod-b without probes', 'Deployment', deployment(bad, 1), { namespace: 'prod-b' }],
  ['a scale to 1', 'Deployment', { spec: { replicas: 1 } }, { scale: true }],
  ...debugCases(),
  ['a Namespace without a team', 'Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }],
  [
    'a Widget without an owner',
    'Widget',
    { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', labels: { managed: 'true' } } },
  ],
];

function exportedRules(file: string) {
  const text = readFileSync(join(root, file), 'utf8');
  const { exported } = exportVap(policyFileSchema.parse(parse(text)));
  return { text, exported };
}

describe.each(['test/fixtures/policy-all-rules.yaml', 'test/fixtures/admission-check/export/policy.yaml'])(
  'the rules of %s, exported',
  (file) => {
    const { text, exported } = exportedRules(file);
    describe.each(exported.map((rule) => [rule.rule, rule.documents] as const))('%s', (name, [vap, binding]) => {
      it.each(cases)('decides %s as the engine does', (_case, kind, object, options = {}) => {
        const { request } = readWorkload(kind, object, options);
        const engine = runEngine(text, name, request);
        expect(vapOutcome(vap as unknown as Vap, binding as unknown as Binding, request)).toBe(engine);
      });

      it('is both passed and broken by the cases (so the comparison means something)', () => {
        const answers = cases.map(([, kind, object, options]) =>
          runEngine(text, name, readWorkload(kind, object, options).request),
        );
        expect(answers).toContain('allow');
        expect(answers.filter((answer) => answer !== 'allow')).not.toEqual([]);
      });
    });
  },
);

describe('an exported rule', () => {
  const { exported } = exportedRules('test/fixtures/admission-check/export/policy.yaml');
  const documents = (name: string) => {
    const [vap, binding] = exported.find((rule) => rule.rule === name)?.documents ?? [];
    return { vap: vap as unknown as Vap, binding: binding as unknown as Binding };
  };

  it('says which containers break it, and leaves exempt images out', () => {
    const { vap, binding } = documents('pinned-images');
    const { request } = readWorkload(
      'Deployment',
      deployment({ ...bad, containers: [...bad.containers, ...mixed.containers] }),
    );
    expect(runVap(vap, binding, request)).toEqual([
      'containers setup, web must pin an image tag other than latest, or a digest',
    ]);
  });

  it('reads params and the Pod view of a workload, and keeps the reason', () => {
    const { vap, binding } = documents('pod-probes');
    const { request } = readWorkload('Deployment', deployment(bad), { namespace: 'prod-a' });
    const unlabelled = readWorkload(
      'Deployment',
      { ...deployment(bad), spec: { template: { spec: bad } } },
      { namespace: 'prod-a' },
    );
    expect(runVap(vap, binding, request)).toEqual([]); // the template's debug label: not a match
    expect(runVap(vap, binding, unlabelled.request)).toEqual(['every container needs a readinessProbe (Invalid)']);
  });

  it('leaves the system namespaces and namespaces labelled skip to the binding', () => {
    const { vap, binding } = documents('minimum-replicas');
    const inKubeSystem = readWorkload('Deployment', deployment(bad, 1), { namespace: 'kube-system' });
    expect(runVap(vap, binding, inKubeSystem.request)).toBeUndefined();
    const skipped = readWorkload('Deployment', deployment(bad, 1));
    expect(runVap(vap, binding, skipped.request, { 'admission.serverless.io/skip': 'true' })).toBeUndefined();
  });
});
