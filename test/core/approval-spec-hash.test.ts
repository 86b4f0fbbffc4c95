// The hash an approval is bound to: the same change hashes alike however the API
// server and kubectl dressed it; any other change hashes differently.
import { describe, expect, it } from 'vitest';
import { canonicalJson, hashApprovalSpec } from '../../functions/core/index.js';
import { loadFixture, type WorkloadFixture } from '../helpers/fixtures.js';

function deployment(): WorkloadFixture {
  return loadFixture('v1-create-deployment-2-replicas.json').request.object;
}

describe('the approval spec hash', () => {
  it('is SHA-256 in hex', () => {
    expect(hashApprovalSpec(deployment())).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is the same for the same spec with another resourceVersion, uid, generation and managedFields', () => {
    const retried = deployment();
    Object.assign(retried.metadata, {
      resourceVersion: '48213',
      uid: 'another-uid',
      generation: 7,
      creationTimestamp: '2026-12-02T10:42:00Z',
      managedFields: [{ manager: 'kubectl', time: '2026-12-02T10:42:00Z' }],
      selfLink: '/apis/apps/v1/namespaces/shop/deployments/web',
    });
    retried.status = { observedGeneration: 7, replicas: 2 };
    expect(hashApprovalSpec(retried)).toBe(hashApprovalSpec(deployment()));
  });

  it('leaves out the annotations kubectl and the Deployment controller write, keeping the others', () => {
    const annotated = deployment();
    annotated.metadata.annotations = {
      'kubectl.kubernetes.io/last-applied-configuration': '{"changed":true}',
      'deployment.kubernetes.io/revision': '4',
    };
    const bare = deployment();
    delete bare.metadata.annotations;
    expect(hashApprovalSpec(annotated)).toBe(hashApprovalSpec(bare));
    const owned = deployment();
    owned.metadata.annotations = { 'example.com/owner': 'shop-team' };
    expect(hashApprovalSpec(owned)).not.toBe(hashApprovalSpec(bare));
  });

  it('differs when the replicas change', () => {
    const scaled = deployment();
    scaled.spec.replicas = 1;
    expect(hashApprovalSpec(scaled)).not.toBe(hashApprovalSpec(deployment()));
  });

  it('differs when an image, a label or the name changes', () => {
    const base = hashApprovalSpec(deployment());
    const image = deployment();
    const [container] = image.spec.template.spec.containers;
    if (container) container.image = 'nginx:1.27';
    const labelled = deployment();
    labelled.metadata.labels.tier = 'frontend';
    const renamed = deployment();
    renamed.metadata.name = 'web-2';
    for (const changed of [image, labelled, renamed]) expect(hashApprovalSpec(changed)).not.toBe(base);
  });

  it('does not depend on the order of keys, at any depth', () => {
    expect(hashApprovalSpec(reverseKeys(deployment()))).toBe(hashApprovalSpec(deployment()));
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}',
    );
  });
});

/** The same value with every object's keys in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, item]) => [key, reverseKeys(item)]),
  );
}
