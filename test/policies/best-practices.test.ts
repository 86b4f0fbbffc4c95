// deploy/policies/best-practices.yaml: each rule denies a Pod, and a Deployment whose
// template is that Pod, naming the container or port, and allows the compliant forms;
// pod anti-affinity is asked of replicated workloads only.
import { describe, expect, it } from 'vitest';
import { parsePolicyText } from '../../functions/core/policy/parse-policy.js';
import {
  containerWith,
  decideCreate,
  deploymentOf,
  goodContainer,
  goodPodSpec,
  loadShippedPolicy,
  type PodSpec,
  podOf,
  shippedPolicyText,
  violationsOfBoth,
} from './shipped-policy.js';

const policy = loadShippedPolicy('best-practices.yaml');
const registry = 'myregistry.azurecr.io/shop/web';
const notAllowed = 'which is not from an allowed registry (myregistry.azurecr.io, mcr.microsoft.com)';
const limits = (memory: string | number) => ({
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory } },
});

const denied: [string, PodSpec, string][] = [
  [
    'a container without a livenessProbe',
    containerWith({ livenessProbe: undefined }),
    'container web: add a livenessProbe',
  ],
  [
    'containers without a readinessProbe',
    containerWith({ readinessProbe: undefined }, { ...goodContainer('sidecar'), readinessProbe: undefined }),
    'container web, container sidecar: add a readinessProbe',
  ],
  [
    'a container without a cpu request',
    containerWith({ resources: { requests: { memory: '128Mi' }, limits: { cpu: '1', memory: '1Gi' } } }),
    'container web sets no resources.requests for cpu',
  ],
  [
    'a container without limits',
    containerWith({ resources: { requests: { cpu: '100m', memory: '128Mi' } } }),
    'container web sets no resources.limits for cpu, memory',
  ],
  [
    'a memory limit over 2Gi',
    containerWith(limits('3Gi')),
    'container web asks for a memory limit of 3Gi; at most 2Gi is allowed',
  ],
  [
    'a memory limit over 2Gi written in bytes',
    containerWith(limits(4294967296)),
    'container web asks for a memory limit of 4294967296; at most 2Gi is allowed',
  ],
  [
    'the latest tag',
    containerWith({ image: `${registry}:latest` }),
    `container web uses ${registry}:latest; pin a version tag other than latest, or a digest`,
  ],
  [
    'an image without a tag',
    containerWith({ image: registry }),
    `container web uses ${registry}; pin a version tag other than latest, or a digest`,
  ],
  ['an image from Docker Hub', containerWith({ image: 'nginx:1.27' }), `container web pulls nginx:1.27, ${notAllowed}`],
  [
    'a registry that only starts like an allowed one',
    containerWith({ image: 'myregistry.azurecr.io.evil.com/app:1' }),
    `container web pulls myregistry.azurecr.io.evil.com/app:1, ${notAllowed}`,
  ],
  [
    'a host port',
    containerWith({ ports: [{ containerPort: 8080, hostPort: 8080 }, { containerPort: 9090 }] }),
    'container web binds the host ports 8080; use a Service instead of hostPort',
  ],
];

const allowed: [string, PodSpec][] = [
  ['the compliant pod', goodPodSpec()],
  ['a memory limit of exactly 2Gi', containerWith(limits('2Gi'))],
  ['a memory limit of 2048Mi', containerWith(limits('2048Mi'))],
  ['a memory limit in bytes', containerWith(limits(1073741824))],
  ['an image pinned by digest', containerWith({ image: `${registry}@sha256:${'a'.repeat(64)}` })],
  ['an image from the other allowed registry', containerWith({ image: 'mcr.microsoft.com/dotnet/aspnet:8.0' })],
  ['a container port without a host port', containerWith({ ports: [{ containerPort: 8080, hostPort: 0 }] })],
];

describe('the best-practices policy', () => {
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

  it('reads an image without a registry as Docker Hub, as the container runtime does', () => {
    const text = shippedPolicyText('best-practices.yaml').replace(
      'registries: [myregistry.azurecr.io, mcr.microsoft.com]',
      'registries: [docker.io/library, myregistry.azurecr.io]',
    );
    const { policy: hub } = parsePolicyText('best-practices.yaml', text);
    const allows = (image: string) => decideCreate(hub, 'Pod', podOf(containerWith({ image }))).allowed;
    expect(allows('nginx:1.27')).toBe(true);
    expect(allows('docker.io/library/nginx:1.27')).toBe(true);
    expect(allows('bitnami/redis:7.2')).toBe(false);
    expect(allows(`${registry}:1.4.2`)).toBe(true);
    expect(allows('myregistry.azurecr.io:5000/web:1')).toBe(false);
  });

  it('asks a Deployment of 3 replicas for a podAntiAffinity, naming the count', () => {
    const spread = deploymentOf(goodPodSpec(), 3);
    expect(decideCreate(policy, 'Deployment', spread).allowed).toBe(true);
    const unspread = deploymentOf({ ...goodPodSpec(), affinity: undefined }, 3);
    expect(decideCreate(policy, 'Deployment', unspread).violations).toEqual([
      'deployment shop/web: it runs 3 replicas and its pod template sets no affinity.podAntiAffinity; spread the replicas over nodes (topologyKey kubernetes.io/hostname)',
    ]);
    expect(decideCreate(policy, 'StatefulSet', unspread).allowed).toBe(false);
  });

  it('asks nothing of one replica, or of a Pod', () => {
    expect(decideCreate(policy, 'Deployment', deploymentOf({ ...goodPodSpec(), affinity: {} }, 1)).allowed).toBe(true);
    expect(decideCreate(policy, 'Pod', podOf(goodPodSpec())).allowed).toBe(true);
  });
});
