// deploy/policies/pod-security-restricted.yaml (what the restricted level adds to the
// baseline): each rule denies a Pod, and a Deployment whose template is that Pod,
// naming the container or volume, and allows the compliant forms.
import { describe, expect, it } from 'vitest';
import {
  containerWith,
  decideCreate,
  goodPodSpec,
  loadShippedPolicy,
  type PodSpec,
  podOf,
  securityWith,
  specWith,
  violationsOfBoth,
} from './shipped-policy.js';

const policy = loadShippedPolicy('pod-security-restricted.yaml');
const allowedVolumes = 'configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret';
const dropAll = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };

const denied: [string, PodSpec, string][] = [
  [
    'an nfs volume',
    specWith({
      volumes: [
        { name: 'config', configMap: { name: 'c' } },
        { name: 'data', nfs: { server: 'nas', path: '/' } },
      ],
    }),
    `volume data is of type nfs; the restricted level allows ${allowedVolumes}`,
  ],
  [
    'a hostPath volume',
    specWith({ volumes: [{ name: 'docker', hostPath: { path: '/var/run/docker.sock' } }] }),
    `volume docker is of type hostPath; the restricted level allows ${allowedVolumes}`,
  ],
  [
    'allowPrivilegeEscalation left unset',
    containerWith({ securityContext: { capabilities: { drop: ['ALL'] } } }),
    'container web: set securityContext.allowPrivilegeEscalation to false',
  ],
  [
    'runAsNonRoot unset on the pod and the container',
    specWith({ securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }),
    'container web may run as root: set securityContext.runAsNonRoot to true on the pod or the container',
  ],
  [
    'a container that sets runAsNonRoot false under a pod that sets it true',
    containerWith(securityWith({ runAsNonRoot: false })),
    'container web may run as root: set securityContext.runAsNonRoot to true on the pod or the container',
  ],
  [
    'runAsUser 0 on the pod',
    specWith({ securityContext: { runAsNonRoot: true, runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } } }),
    'the pod sets runAsUser 0 (root); use a non-zero user ID or leave it unset',
  ],
  [
    'runAsUser 0 on a container',
    containerWith(securityWith({ runAsUser: 0 })),
    'container web: securityContext.runAsUser must not be 0 (root)',
  ],
  [
    'no seccomp profile on the pod or the container',
    specWith({ securityContext: { runAsNonRoot: true } }),
    'container web: set securityContext.seccompProfile.type to RuntimeDefault or Localhost on the pod or the container',
  ],
  [
    'an Unconfined container under a RuntimeDefault pod',
    containerWith(securityWith({ seccompProfile: { type: 'Unconfined' } })),
    'container web: set securityContext.seccompProfile.type to RuntimeDefault or Localhost on the pod or the container',
  ],
  [
    'capabilities not dropped',
    containerWith({ securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['NET_RAW'] } } }),
    'container web: securityContext.capabilities.drop must include ALL',
  ],
  [
    'an added capability other than NET_BIND_SERVICE',
    containerWith({ securityContext: { ...dropAll, capabilities: { drop: ['ALL'], add: ['CHOWN'] } } }),
    'container web adds the capabilities CHOWN; the restricted level allows adding only NET_BIND_SERVICE',
  ],
];

const allowed: [string, PodSpec][] = [
  ['the compliant pod', goodPodSpec()],
  [
    'every allowed volume type',
    specWith({
      volumes: [
        { name: 'a', emptyDir: {} },
        { name: 'b', secret: { secretName: 's' } },
        { name: 'c', persistentVolumeClaim: { claimName: 'data' } },
        { name: 'd', projected: { sources: [] } },
      ],
    }),
  ],
  ['no volumes at all', { securityContext: goodPodSpec().securityContext, containers: goodPodSpec().containers }],
  [
    'runAsNonRoot on every container instead of the pod',
    {
      ...containerWith(securityWith({ runAsNonRoot: true })),
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
    },
  ],
  ['a non-zero runAsUser', containerWith(securityWith({ runAsUser: 10001 }))],
  [
    'a Localhost seccomp profile on the container alone',
    {
      ...containerWith(securityWith({ seccompProfile: { type: 'Localhost' } })),
      securityContext: { runAsNonRoot: true },
    },
  ],
  [
    'NET_BIND_SERVICE added',
    containerWith({ securityContext: { ...dropAll, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } } }),
  ],
];

describe('the Pod Security restricted policy', () => {
  it.each(denied)('denies %s, in a Pod and in a Deployment, naming it', (_what, spec, detail) => {
    const { pod, deployment } = violationsOfBoth(policy, spec);
    expect(pod).toMatchObject({ allowed: false, violations: [`pod shop/web: ${detail}`] });
    expect(deployment).toMatchObject({ allowed: false, violations: [`deployment shop/web: ${detail}`] });
  });

  it.each(allowed)('allows %s, in a Pod and in a Deployment', (_what, spec) => {
    const { pod, deployment } = violationsOfBoth(policy, spec);
    expect(pod.violations).toBeUndefined();
    expect(pod.allowed).toBe(true);
    expect(deployment.allowed).toBe(true);
  });

  it('names each container that may escalate, init containers included', () => {
    const spec = containerWith({ securityContext: { capabilities: { drop: ['ALL'] } } });
    spec.initContainers = [{ name: 'setup', image: 'busybox:1.36', securityContext: dropAll }];
    spec.ephemeralContainers = [{ name: 'debugger', image: 'busybox:1.36' }];
    const violations = decideCreate(policy, 'Pod', podOf(spec)).violations ?? [];
    expect(violations).toContain(
      'pod shop/web: container web, container debugger: set securityContext.allowPrivilegeEscalation to false',
    );
  });
});
