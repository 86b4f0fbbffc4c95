// The Namespace a review's object is in, from the proxy's x-namespace-labels header:
// what a rule's namespaceSelector and CEL's namespaceObject read. The header is trusted
// only because the function key authenticates the proxy, which sets it from its own
// watch of the cluster's Namespaces and drops any a caller sent; it is still read as
// hostile input (size, JSON, label syntax), and a bad one counts as none at all, so
// such rules answer per their failurePolicy and the review is still decided.
import type { AdmissionRequest, ErrorCode } from '../../core/index.js';
import { decodeNamespaceLabels } from '../../core/index.js';

/** As the API server stores it, with the fields a policy reads: name and labels. */
export interface NamespaceObject {
  readonly apiVersion: 'v1';
  readonly kind: 'Namespace';
  readonly metadata: { readonly name: string; readonly labels: Readonly<Record<string, string>> };
}

export interface NamespaceRead {
  /** Undefined when no valid header came, or the object is cluster-scoped or a Namespace itself. */
  readonly namespaceObject: NamespaceObject | undefined;
  /** Set when a header came and was ignored. */
  readonly ignored?: ErrorCode;
}

export function readNamespaceObject(header: string | null, request: AdmissionRequest): NamespaceRead {
  if (header === null) return { namespaceObject: undefined };
  const labels = decodeNamespaceLabels(header);
  if (labels === undefined) return { namespaceObject: undefined, ignored: 'NAMESPACE_LABELS_INVALID' };
  const name = request.namespace ?? '';
  // As a ValidatingAdmissionPolicy: no namespaceObject for cluster-scoped objects, nor for
  // a Namespace (whose own labels its namespaceSelector reads).
  const isNamespace = request.kind.kind === 'Namespace' && request.kind.group === '';
  if (name === '' || isNamespace) return { namespaceObject: undefined };
  return { namespaceObject: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } } };
}
