// Where rules apply, as a ValidatingAdmissionPolicy words it: operations, kinds (any,
// Namespace included), objectSelector (labelSelector kept), namespaceSelector with
// its failurePolicy, and Pod rules run on the templates of workloads.
import { describe, expect, it } from 'vitest';
import { decide } from '../../functions/core/decide.js';
import type { Decision } from '../../functions/core/decision.js';
import { parsePolicyText } from '../../functions/core/policy/parse-policy.js';
import { type ReadOptions, readWorkload } from '../core/read-workload.js';

const header = 'apiVersion: admission.serverless.io/v1\nkind: AdmissionPolicy\nrules:\n';
const now = new Date('2026-11-22T10:00:00Z');

function decideWith(
  rules: string,
  kind: string,
  object: unknown,
  options: ReadOptions = {},
  namespaceObject?: unknown,
): Decision {
  const { policy } = parsePolicyText('match.yaml', `${header}${rules}`);
  const { request, target } = readWorkload(kind, object, options);
  return decide(request, target, policy, { cluster: undefined, now, namespaceObject });
}

const deployment = (labels: Record<string, string> = {}, image = 'nginx:1.27') => ({
  metadata: { name: 'web', labels },
  spec: {
    replicas: 3,
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } },
  },
});
const shopNamespace = (labels: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'shop', labels },
});

describe('match.kinds: any kind', () => {
  const labels =
    '  - { name: owner, builtin: required-labels, labels: [owner], match: { kinds: [Namespace, ConfigMap] } }\n';

  it('runs required-labels on a Namespace, which is in itself', () => {
    const decision = decideWith(
      labels,
      'Namespace',
      { metadata: { name: 'team-a' } },
      { name: 'team-a', namespace: '' },
    );
    expect(decision.violations).toEqual([
      'namespace team-a is missing the labels owner. Add them under metadata.labels.',
    ]);
  });

  it('runs required-labels on a ConfigMap, and not on a kind it does not name', () => {
    expect(decideWith(labels, 'ConfigMap', { metadata: { name: 'web' }, data: {} }).allowed).toBe(false);
    expect(decideWith(labels, 'Service', { metadata: { name: 'web' }, spec: {} }).outcome).toBe('not-applicable');
  });

  it('runs a CEL rule on any kind with *', () => {
    const rule =
      '  - { name: small, builtin: cel, match: { kinds: ["*"] }, expression: "!has(object.data) || size(object.data) < 2", message: at most one key }\n';
    expect(decideWith(rule, 'ConfigMap', { metadata: { name: 'c' }, data: { a: '1', b: '2' } }).allowed).toBe(false);
    expect(decideWith(rule, 'Ingress', { metadata: { name: 'i' }, spec: {} }).allowed).toBe(true);
  });

  it.each([
    [
      'image-tag',
      'Namespace',
      /rule r: image-tag reads a pod spec, which Namespace does not have; it can check Deployment/,
    ],
    ['no-host-path', '"*"', /rule r: no-host-path reads a pod spec, which \* does not have/],
  ])('refuses %s on %s when the policy loads', (builtin, kind, message) => {
    expect(() =>
      parsePolicyText('p.yaml', `${header}  - { name: r, builtin: ${builtin}, match: { kinds: [${kind}] } }\n`),
    ).toThrow(message);
  });
});

describe('match.operations', () => {
  const cel = (operations: string) =>
    `  - { name: keep, builtin: cel, match: { kinds: [ConfigMap], operations: ${operations} }, expression: "object != null", message: configmaps stay }\n`;

  it('sees only CREATE and UPDATE by default, as before', () => {
    const old = { metadata: { name: 'c' } };
    expect(
      decideWith(cel('[CREATE, UPDATE]'), 'ConfigMap', null, { oldObject: old, operation: 'DELETE' }).outcome,
    ).toBe('not-applicable');
    const rule =
      '  - { name: keep, builtin: cel, match: { kinds: [ConfigMap] }, expression: "object != null", message: m }\n';
    expect(decideWith(rule, 'ConfigMap', null, { oldObject: old, operation: 'DELETE' }).outcome).toBe('not-applicable');
  });

  it('decides a DELETE when a rule names it: object is null, oldObject the object deleted', () => {
    const decision = decideWith(cel('[DELETE]'), 'ConfigMap', null, {
      oldObject: { metadata: { name: 'c' } },
      operation: 'DELETE',
    });
    expect(decision.violations).toEqual(['configmap shop/web: configmaps stay']);
  });

  it('refuses DELETE on a built-in that reads a pod spec', () => {
    expect(() =>
      parsePolicyText('p.yaml', `${header}  - { name: r, builtin: image-tag, match: { operations: [DELETE] } }\n`),
    ).toThrow('rule r: image-tag checks objects being created or updated; DELETE is for cel and required-labels rules');
  });
});

describe('match.objectSelector', () => {
  const rule = (key: string) =>
    `  - { name: tag, builtin: image-tag, match: { ${key}: { matchLabels: { tier: web } } } }\n`;

  it('selects by the object labels, under its new name and its old one', () => {
    for (const key of ['objectSelector', 'labelSelector']) {
      expect(decideWith(rule(key), 'Deployment', deployment({ tier: 'web' }, 'nginx')).allowed).toBe(false);
      expect(decideWith(rule(key), 'Deployment', deployment({ tier: 'db' }, 'nginx')).outcome).toBe('allowed');
    }
  });

  it('still selects an update that removes the label it selects on', () => {
    const decision = decideWith(rule('objectSelector'), 'Deployment', deployment({}, 'nginx'), {
      oldObject: deployment({ tier: 'web' }, 'nginx:1.27'),
    });
    expect(decision.allowed).toBe(false);
  });

  it('refuses both names at once', () => {
    const both = '  - { name: r, builtin: image-tag, match: { objectSelector: {}, labelSelector: {} } }\n';
    expect(() => parsePolicyText('p.yaml', `${header}${both}`)).toThrow(/set objectSelector or labelSelector/);
  });
});

describe('match.namespaceSelector', () => {
  const rule = (failurePolicy = '') =>
    `  - { name: tag, builtin: image-tag, ${failurePolicy} match: { namespaceSelector: { matchLabels: { env: prod } } } }\n`;

  it('selects by the labels of the namespace the caller supplies', () => {
    expect(decideWith(rule(), 'Deployment', deployment({}, 'nginx'), {}, shopNamespace({ env: 'prod' })).allowed).toBe(
      false,
    );
    expect(decideWith(rule(), 'Deployment', deployment({}, 'nginx'), {}, shopNamespace({ env: 'dev' })).outcome).toBe(
      'allowed',
    );
  });

  it('with failurePolicy Fail (the default), denies without the namespace and says why', () => {
    const decision = decideWith(rule(), 'Deployment', deployment({}, 'nginx:1.27'));
    expect(decision.allowed).toBe(false);
    expect(decision.message).toContain(
      'rule tag selects namespaces by their labels (namespaceSelector), and the labels of this namespace were not supplied',
    );
  });

  it('with failurePolicy Ignore, skips the rule without the namespace', () => {
    expect(decideWith(rule('failurePolicy: Ignore,'), 'Deployment', deployment({}, 'nginx')).allowed).toBe(true);
  });

  it('does not take a Namespace object of another namespace for this one', () => {
    const other = { metadata: { name: 'elsewhere', labels: { env: 'prod' } } };
    expect(decideWith(rule('failurePolicy: Ignore,'), 'Deployment', deployment({}, 'nginx'), {}, other).allowed).toBe(
      true,
    );
  });
});

describe('CEL rules for Pods run on the pod templates of workloads (autogen)', () => {
  const rule = (autogen = '') =>
    `  - { name: probes, builtin: cel, ${autogen} match: { kinds: [Pod] }, expression: "object.spec.containers.all(c, has(c.readinessProbe))", message: every container needs a readinessProbe }\n`;

  it('sees a Deployment as the Pod its template makes', () => {
    expect(decideWith(rule(), 'Deployment', deployment()).violations).toEqual([
      'deployment shop/web: every container needs a readinessProbe',
    ]);
    const cronJob = {
      metadata: { name: 'web' },
      spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', readinessProbe: {} }] } } } } },
    };
    expect(decideWith(rule(), 'CronJob', cronJob).allowed).toBe(true);
  });

  it('sees a Pod as it is, and leaves workloads alone with autogen: false', () => {
    expect(
      decideWith(rule(), 'Pod', { metadata: { name: 'web' }, spec: { containers: [{ name: 'a' }] } }).allowed,
    ).toBe(false);
    expect(decideWith(rule('autogen: false,'), 'Deployment', deployment()).outcome).toBe('allowed');
  });
});

describe('exemptImages in a policy file', () => {
  it('skips the images it names and checks the rest', () => {
    const rule =
      '  - { name: reg, builtin: allowed-registries, registries: [myregistry.azurecr.io], exemptImages: ["docker.io/library/nginx:*"] }\n';
    expect(decideWith(rule, 'Deployment', deployment({}, 'nginx:1.27')).allowed).toBe(true);
    expect(decideWith(rule, 'Deployment', deployment({}, 'redis:7')).allowed).toBe(false);
  });
});
