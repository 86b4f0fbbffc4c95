// Whether the installed webhook would be sent a request at all: the kernel's webhookScope
// (what components/webhook registers) or that plus allWorkloadsScope (with
// components/all-workloads), and the namespaces its namespaceSelector leaves out. A
// request the API server never sends is never decided, so admission-check reports it as
// not sent instead of judging it.
import { allWorkloadsScope, type Operation, type WebhookRule, webhookScope } from '../../functions/core/index.js';

export const scopeNames = ['webhook', 'all-workloads'] as const;
export type ScopeName = (typeof scopeNames)[number];

/**
 * The namespaces components/webhook's namespaceSelector excludes by name, and the label
 * that opts a namespace out. test/admission-check/webhook-filter.test.ts keeps these
 * equal to the selector in deploy/kubernetes/components/webhook.
 */
export const excludedNamespaces: readonly string[] = [
  'kube-system',
  'kube-node-lease',
  'kube-public',
  'admission-system',
];
export const skipLabel = 'admission.serverless.io/skip';

export function scopeRules(scope: ScopeName): readonly WebhookRule[] {
  return scope === 'webhook' ? webhookScope : [...webhookScope, ...allWorkloadsScope];
}

export interface RequestAddress {
  readonly group: string;
  readonly resource: string;
  readonly subResource?: string | undefined;
  readonly operation: Operation;
  readonly namespace: string;
}

/** Undefined when the webhook is sent this request; else why it is not, in a few words. */
export function whyNotSent(rules: readonly WebhookRule[], address: RequestAddress): string | undefined {
  const resource = address.subResource ? `${address.resource}/${address.subResource}` : address.resource;
  const listed = rules.filter(
    (rule) =>
      (rule.apiGroups.includes(address.group) || rule.apiGroups.includes('*')) &&
      (rule.resources.includes(resource) || rule.resources.includes('*')),
  );
  if (listed.length === 0) return `the webhook is not registered for ${resource}`;
  if (!listed.some((rule) => rule.operations.includes(address.operation)))
    return `the webhook is not registered for ${address.operation} of ${resource}`;
  // Every rule is Namespaced: a cluster-scoped object never reaches the webhook.
  if (address.namespace === '') return 'cluster-scoped objects are not sent to the webhook';
  if (excludedNamespaces.includes(address.namespace))
    return `namespace ${address.namespace} is excluded by the webhook's namespaceSelector`;
  return undefined;
}
