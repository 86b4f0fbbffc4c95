// What the webhook registration asks the API server to send: one definition that the
// kustomize component (deploy/kubernetes/components/webhook), the all-workloads
// component, the installer and the tools are tested against. Pure data.
import type { Operation } from './admission-review.js';

/** One entry of a ValidatingWebhookConfiguration's `rules` (all of them `scope: Namespaced`). */
export interface WebhookRule {
  readonly apiGroups: readonly string[];
  readonly apiVersions: readonly string[];
  readonly resources: readonly string[];
  readonly operations: readonly Operation[];
}

/**
 * What components/webhook registers: Deployments and their scale (the starting rule),
 * and the ephemeral containers `kubectl debug` adds to a Pod (an UPDATE of the
 * subresource), so that no container reaches a Pod unchecked.
 */
export const webhookScope: readonly WebhookRule[] = [
  {
    apiGroups: ['apps'],
    apiVersions: ['v1'],
    resources: ['deployments', 'deployments/scale'],
    operations: ['CREATE', 'UPDATE'],
  },
  { apiGroups: [''], apiVersions: ['v1'], resources: ['pods/ephemeralcontainers'], operations: ['UPDATE'] },
];

/** What components/all-workloads adds: every other workload kind the engine reads. */
export const allWorkloadsScope: readonly WebhookRule[] = [
  {
    apiGroups: ['apps'],
    apiVersions: ['v1'],
    resources: ['statefulsets', 'statefulsets/scale', 'daemonsets', 'replicasets', 'replicasets/scale'],
    operations: ['CREATE', 'UPDATE'],
  },
  { apiGroups: ['batch'], apiVersions: ['v1'], resources: ['jobs', 'cronjobs'], operations: ['CREATE', 'UPDATE'] },
  { apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], operations: ['CREATE', 'UPDATE'] },
];
