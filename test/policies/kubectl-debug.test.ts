// kubectl debug adds a container to a running Pod through the pods/ephemeralcontainers
// subresource (an UPDATE whose object is the Pod with the new container). The shipped
// CEL rules are written for Pods and read ephemeral containers with the others, so they
// must see that request too: a privileged debug container is refused, a plain one is not.
import { describe, expect, it } from 'vitest';
import { decide } from '../../functions/core/decide.js';
import { readWorkload } from '../core/read-workload.js';
import { goodPodSpec, loadShippedPolicy, type PodSpec, podOf } from './shipped-policy.js';

const now = new Date('2026-12-02T10:00:00Z');
const baseline = loadShippedPolicy('pod-security-baseline.yaml');

function debug(debugger_: PodSpec) {
  const before = podOf(goodPodSpec());
  const after = podOf({ ...goodPodSpec(), ephemeralContainers: [debugger_] });
  const { request, target } = readWorkload('Pod', after, { oldObject: before, subResource: 'ephemeralcontainers' });
  return decide(request, target, baseline, { cluster: undefined, now });
}

describe('kubectl debug under the Pod Security Standards baseline', () => {
  it('refuses a privileged debug container, naming it', () => {
    const decision = debug({
      name: 'debugger',
      image: 'myregistry.azurecr.io/tools/debug:1.0',
      securityContext: { privileged: true },
    });
    expect(decision.allowed).toBe(false);
    expect(decision.message).toContain('debugger');
  });

  it('admits a plain debug container', () => {
    const decision = debug({ name: 'debugger', image: 'myregistry.azurecr.io/tools/debug:1.0' });
    expect(decision.allowed).toBe(true);
  });
});
