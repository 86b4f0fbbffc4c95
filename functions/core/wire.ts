// The wire: every fact about the webhook's HTTP exchange that more than one
// deliverable relies on. The proxy (the API server's door) and the function (the
// decider) both read from here, so they cannot disagree. Plain TypeScript with no
// imports: the proxy bundles this file and nothing else from outside its folder.

/** The AdmissionReview versions a webhook may be called with; the answer uses the request's. */
export const admissionReviewVersions = ['admission.k8s.io/v1', 'admission.k8s.io/v1beta1'] as const;
export type AdmissionReviewVersion = (typeof admissionReviewVersions)[number];

/** Kubernetes UIDs are UUIDs (36 characters); room is left for other issuers, but what is echoed is bounded. */
export const maxUidLength = 128;

/**
 * The largest review body accepted. The API server accepts request bodies of at most
 * 3 MiB, so an admitted object is at most 3 MiB; an UPDATE review carries the object
 * and the old object (2 x 3 MiB) plus an envelope (userInfo, options) allowed 1 MiB.
 * controller-runtime's webhook server uses the same bound.
 */
export const maxReviewBytes = 7 * 1024 * 1024;

/** Headers the proxy sets on the way to the function. */
export const wireHeaders = {
  functionKey: 'x-functions-key',
  requestId: 'x-request-id',
  clusterName: 'x-cluster-name',
  /** The labels of the review's namespace, from the proxy's watch (see below). */
  namespaceLabels: 'x-namespace-labels',
} as const;

const requestIdPattern = /^[A-Za-z0-9._:-]{1,64}$/;

/** A caller's request id when it is a plain token (safe to log and echo), otherwise undefined. */
export function readRequestId(value: unknown): string | undefined {
  return typeof value === 'string' && requestIdPattern.test(value) ? value : undefined;
}

/** `application/json`, with or without parameters such as charset. */
export function isJsonContentType(header: string | null | undefined): boolean {
  return header?.split(';', 1)[0]?.trim().toLowerCase() === 'application/json';
}

/**
 * Cluster names appear in texts and logs, so they are held to a safe alphabet: AKS
 * allows letters, digits, "_" and "-"; "." is allowed for names like prod.eu.
 */
export const clusterNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
export const clusterNameForm = '1-63 letters, digits, ".", "_" or "-", starting with a letter or digit';

/** The name when it is well formed, otherwise null. */
export function parseClusterName(value: string): string | null {
  return clusterNamePattern.test(value) ? value : null;
}

/**
 * The API server truncates long warnings and drops many of them; Kubernetes asks
 * webhooks to keep each under 120 characters.
 */
export const maxWarningLength = 119;
export const maxWarnings = 10;

/** Keeps a warning within the API server's limits, ending with "..." when cut. */
export function clampWarning(warning: string): string {
  // Printable ASCII only: the API server drops warnings with control characters.
  const printable = warning.replace(/[^\x20-\x7e]/g, '?');
  return printable.length <= maxWarningLength ? printable : `${printable.slice(0, maxWarningLength - 3)}...`;
}

/**
 * The `x-namespace-labels` header: the labels of the review's namespace as a JSON
 * object, set by the proxy (which watches the cluster's Namespaces) and read by the
 * function for a rule's namespaceSelector and CEL's namespaceObject. Labels may total
 * 256 KiB; the header is held to 8 KiB, half of Node's default 16 KiB for all of a
 * request's headers (the development host), well within the Functions front end's. Over
 * it the proxy sends nothing, and such a rule answers per its failurePolicy.
 */
export const maxNamespaceLabelsBytes = 8 * 1024;

// Kubernetes' label syntax: an optional DNS subdomain prefix and "/", then a name of
// at most 63 letters, digits, "-", "_", "." that starts and ends with a letter or digit.
const labelName = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function isLabelKey(key: string): boolean {
  const parts = key.split('/');
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  if (parts.length > 2 || name === undefined || !labelName.test(name)) return false;
  return prefix === undefined || (prefix.length <= 253 && dnsSubdomain.test(prefix));
}

export function isLabelValue(value: string): boolean {
  return value === '' || labelName.test(value);
}

/** The header's value for these labels, or undefined when one is malformed or it would pass the cap. */
export function encodeNamespaceLabels(labels: Readonly<Record<string, string>>): string | undefined {
  for (const [key, value] of Object.entries(labels)) if (!isLabelKey(key) || !isLabelValue(value)) return undefined;
  const text = JSON.stringify(labels);
  return text.length <= maxNamespaceLabelsBytes ? text : undefined;
}

/** The labels a header carries, or undefined when it is not what encodeNamespaceLabels makes. */
export function decodeNamespaceLabels(header: string): Readonly<Record<string, string>> | undefined {
  if (header.length > maxNamespaceLabelsBytes) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(header);
  } catch {
    return undefined; // not JSON: treated as no header at all
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== 'string' || !isLabelKey(key) || !isLabelValue(value)) return undefined;
    labels[key] = value;
  }
  return labels;
}
