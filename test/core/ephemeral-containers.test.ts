// kubectl debug adds an ephemeral container through the pods/ephemeralcontainers
// subresource: the kernel reads it and checks the added containers like any other.
import { describe, expect, it } from 'vitest';
import { admissionReviewSchema } from '../../functions/core/admission-review.js';
import { decide } from '../../functions/core/decide.js';
import { parsePolicyText } from '../../functions/core/policy/parse-policy.js';
import { readTarget } from '../../functions/core/workload.js';
import { loadFixture } from '../helpers/fixtures.js';
import { readWorkload } from './read-workload.js';

const { policy } = parsePolicyText(
  'ephemeral.yaml',
  `apiVersion: admission.serverless.io/v1
kind: AdmissionPolicy
rules:
  - { name: registries, builtin: allowed-registries, registries: [myregistry.azurecr.io] }
  - { name: no-privileged, builtin: no-privileged }
  - { name: labels, builtin: required-labels, labels: [owner] }
  - { name: resources, builtin: resources }
`,
);
const now = new Date('2026-11-22T10:00:00Z');
const app = {
  name: 'app',
  image: 'myregistry.azurecr.io/shop/app:1.0',
  resources: { requests: { cpu: '1', memory: '1Gi' } },
};

function pod(ephemeralContainers: object[]) {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [app], ephemeralContainers } };
}

function debug(before: object[], after: object[]) {
  const { request, target } = readWorkload('Pod', pod(after), {
    oldObject: pod(before),
    subResource: 'ephemeralcontainers',
    operation: 'UPDATE',
  });
  return decide(request, target, policy, { cluster: undefined, now });
}

describe('kubectl debug (pods/ephemeralcontainers)', () => {
  it('denies a debug container from a registry that is not allowed', () => {
    const decision = debug([], [{ name: 'debugger', image: 'busybox:1.36' }]);
    expect(decision.allowed).toBe(false);
    expect(decision.violations).toEqual([
      'pod shop/web: container debugger pulls busybox:1.36, which is not from an allowed registry (myregistry.azurecr.io).',
    ]);
  });

  it('denies a privileged debug container', () => {
    const decision = debug(
      [],
      [{ name: 'd', image: 'myregistry.azurecr.io/tools:1', securityContext: { privileged: true } }],
    );
    expect(decision.violations).toEqual([
      'pod shop/web: container d is privileged. Remove securityContext.privileged.',
    ]);
  });

  it('allows a debug container from an allowed registry, though the Pod lacks a label (not what this request changes)', () => {
    expect(debug([], [{ name: 'd', image: 'myregistry.azurecr.io/tools:1' }]).allowed).toBe(true);
  });

  it('checks only the containers this request adds', () => {
    const earlier = { name: 'old', image: 'busybox:1.36' };
    expect(debug([earlier], [earlier, { name: 'd', image: 'myregistry.azurecr.io/tools:1' }]).allowed).toBe(true);
  });

  it('reads the EphemeralContainers object that API servers before 1.22 send', () => {
    const object = {
      apiVersion: 'v1',
      kind: 'EphemeralContainers',
      metadata: { name: 'web' },
      ephemeralContainers: [{ name: 'd', image: 'busybox:1.36' }],
    };
    const old = { ...object, ephemeralContainers: [] };
    const { request, target } = readWorkload('Pod', object, { oldObject: old, subResource: 'ephemeralcontainers' });
    expect(decide(request, target, policy, { cluster: undefined, now }).allowed).toBe(false);
  });

  it('denies kubectl debug with busybox as the API server sends it, and texts ops', () => {
    const { request } = admissionReviewSchema.parse(loadFixture('v1-update-pod-ephemeralcontainers.json'));
    const target = readTarget(request);
    if ('error' in target) throw new Error(target.error);
    const decision = decide(request, target.value, policy, { cluster: undefined, now });
    expect(decision.violations).toEqual([
      'pod shop/web-7d4b9c8f6-x2x9q: container debugger-8x7kq pulls busybox:1.36, which is not from an allowed registry (myregistry.azurecr.io).',
    ]);
    expect(decision.notifications).toMatchObject([{ type: 'blocked', kind: 'Pod', operation: 'UPDATE' }]);
  });
});
