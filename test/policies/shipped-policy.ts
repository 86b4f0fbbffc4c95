// The shipped policy files (deploy/policies/), loaded with the real parser, and the
// objects their tests decide: a Pod that passes every rule of the three files, the
// same pod spec as a Deployment's template, and decide() as the function calls it.
import { readFileSync } from 'node:fs';
import { decide } from '../../functions/core/decide.js';
import type { Decision } from '../../functions/core/decision.js';
import { parsePolicyText } from '../../functions/core/policy/parse-policy.js';
import type { Policy } from '../../functions/core/policy.js';
import { readWorkload } from '../core/read-workload.js';

export type ShippedFile = 'pod-security-baseline.yaml' | 'pod-security-restricted.yaml' | 'best-practices.yaml';

export const shippedFiles: readonly ShippedFile[] = [
  'pod-security-baseline.yaml',
  'pod-security-restricted.yaml',
  'best-practices.yaml',
];

export function shippedPolicyText(file: ShippedFile): string {
  return readFileSync(new URL(`../../deploy/policies/${file}`, import.meta.url), 'utf8');
}

/** One shipped file, read as the function app reads a policy file. */
export function loadShippedPolicy(file: ShippedFile): Policy {
  return parsePolicyText(`deploy/policies/${file}`, shippedPolicyText(file)).policy;
}

/** The three files as one policy: their rules one after the other, as a user would copy them. */
export function combinedPolicyText(): string {
  const rules = shippedFiles.map((file) => shippedPolicyText(file).split(/^rules:\n/m)[1] ?? '');
  return `apiVersion: admission.serverless.io/v1\nkind: AdmissionPolicy\nrules:\n${rules.join('\n')}`;
}

export type PodSpec = Record<string, unknown>;

/** A container that passes every shipped rule. */
export function goodContainer(name = 'web'): PodSpec {
  return {
    name,
    image: 'myregistry.azurecr.io/shop/web:1.4.2',
    ports: [{ name: 'http', containerPort: 8080 }],
    livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
    readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
  };
}

/** A pod spec that passes every shipped rule: non-root, RuntimeDefault seccomp, one good container. */
export function goodPodSpec(): PodSpec {
  return {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [goodContainer()],
    volumes: [{ name: 'config', configMap: { name: 'web-config' } }],
  };
}

/** The good pod spec with `fields` replaced. */
export function specWith(fields: PodSpec): PodSpec {
  return { ...goodPodSpec(), ...fields };
}

/** The good pod spec, its container web with `fields` replaced (and `others` after it). */
export function containerWith(fields: PodSpec, ...others: PodSpec[]): PodSpec {
  return specWith({ containers: [{ ...goodContainer(), ...fields }, ...others] });
}

/** A good container's securityContext with `fields` added. */
export function securityWith(fields: PodSpec): PodSpec {
  return { securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, ...fields } };
}

export function podOf(spec: PodSpec, annotations: Record<string, string> = {}) {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', labels: { app: 'web' }, annotations }, spec };
}

/** A Deployment whose pod template is `spec`, spread over nodes as the anti-affinity rule asks. */
export function deploymentOf(spec: PodSpec, replicas = 3, annotations: Record<string, string> = {}) {
  const antiAffinity = {
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        {
          weight: 100,
          podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } },
        },
      ],
    },
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' }, annotations }, spec: { affinity: antiAffinity, ...spec } },
    },
  };
}

const now = new Date('2026-12-02T10:00:00Z');

/** What the function decides for a CREATE of `object` (a `kind`) in namespace shop. */
export function decideCreate(policy: Policy, kind: string, object: unknown): Decision {
  const { request, target } = readWorkload(kind, object);
  return decide(request, target, policy, { cluster: undefined, now });
}

/** The violations of a Pod with `spec`, and of a Deployment with it as its template. */
export function violationsOfBoth(policy: Policy, spec: PodSpec, annotations: Record<string, string> = {}) {
  return {
    pod: decideCreate(policy, 'Pod', podOf(spec, annotations)),
    deployment: decideCreate(policy, 'Deployment', deploymentOf(spec, 3, annotations)),
  };
}
