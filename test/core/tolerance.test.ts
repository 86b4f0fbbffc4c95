// The tolerance for updates that leave an object's spec alone: it lets through only a
// rule the old object already broke, never one the update itself breaks.
import { describe, expect, it } from 'vitest';
import { decide } from '../../functions/core/decide.js';
import { parsePolicyText } from '../../functions/core/policy/parse-policy.js';
import { readWorkload } from './read-workload.js';

const { policy } = parsePolicyText(
  'tolerance.yaml',
  `apiVersion: admission.serverless.io/v1
kind: AdmissionPolicy
rules:
  - { name: labels, builtin: required-labels, labels: [owner] }
  - { name: replicas, builtin: minimum-replicas, minimum: 3 }
`,
);
const now = new Date('2026-11-22T10:00:00Z');

function deployment(labels: Record<string, string>, replicas: number) {
  return { metadata: { name: 'web', labels }, spec: { replicas, template: { spec: { containers: [] } } } };
}

function decideUpdate(oldObject: unknown, object: unknown) {
  const { request, target } = readWorkload('Deployment', object, { oldObject });
  return decide(request, target, policy, { cluster: undefined, now });
}

describe('updates that leave the spec alone', () => {
  it('denies a labels-only update that removes a required label', () => {
    const decision = decideUpdate(deployment({ owner: 'shop' }, 3), deployment({}, 3));
    expect(decision.allowed).toBe(false);
    expect(decision.message).toBe('deployment shop/web is missing the labels owner. Add them under metadata.labels.');
  });

  it('still allows, with a warning, a labels-only update of an object that already lacked the label', () => {
    const decision = decideUpdate(deployment({}, 3), deployment({ team: 'a' }, 3));
    expect(decision.allowed).toBe(true);
    expect(decision.warnings).toEqual([
      'deployment shop/web breaks labels (missing labels owner); spec changes will be denied',
    ]);
  });

  it('tolerates only the rule the old object broke: a new breach of another rule is denied', () => {
    const decision = decideUpdate(deployment({ owner: 'shop' }, 2), deployment({}, 2));
    expect(decision.allowed).toBe(false);
    expect(decision.violations).toEqual([
      'deployment shop/web is missing the labels owner. Add them under metadata.labels.',
    ]);
  });

  it('denies a labels-only update that a transition rule forbids (the old object, re-applied, passes it)', () => {
    const { policy: immutable } = parsePolicyText(
      'immutable.yaml',
      `apiVersion: admission.serverless.io/v1
kind: AdmissionPolicy
rules:
  - name: team-stays
    builtin: cel
    expression: "oldObject == null || object.metadata.labels.team == oldObject.metadata.labels.team"
    message: the team label cannot change
`,
    );
    const { request, target } = readWorkload('Deployment', deployment({ team: 'b' }, 3), {
      oldObject: deployment({ team: 'a' }, 3),
    });
    expect(decide(request, target, immutable, { cluster: undefined, now }).allowed).toBe(false);
  });
});

describe('updates of other kinds', () => {
  const { policy: small } = parsePolicyText(
    'small.yaml',
    `apiVersion: admission.serverless.io/v1
kind: AdmissionPolicy
rules:
  - { name: small, builtin: cel, match: { kinds: [ConfigMap] }, expression: "size(object.data) < 2", message: one key at most }
`,
  );
  const configMap = (labels: Record<string, string>, data: Record<string, string>) => ({
    metadata: { name: 'c', labels },
    data,
  });
  const decideConfigMap = (oldObject: unknown, object: unknown) => {
    const { request, target } = readWorkload('ConfigMap', object, { oldObject });
    return decide(request, target, small, { cluster: undefined, now });
  };

  it('tolerates a labels-only update of a ConfigMap that already broke a rule', () => {
    const data = { a: '1', b: '2' };
    expect(decideConfigMap(configMap({}, data), configMap({ x: 'y' }, data)).outcome).toBe('warned');
  });

  it('denies a change of its data, which is more than metadata', () => {
    expect(decideConfigMap(configMap({}, { a: '1', b: '2' }), configMap({}, { a: '1', b: '3' })).allowed).toBe(false);
  });
});
