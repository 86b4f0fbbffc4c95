// The AdmissionReview the API server would send for an object: its group, version,
// kind and resource, the namespace it lands in (cluster-scoped kinds get none), the
// operation, and a dry run (no texts). Parsed with the kernel's own schema, so a
// malformed object is reported as the webhook would report it.
import { z } from 'zod';
import {
  type AdmissionRequest,
  admissionReviewSchema,
  describeIssues,
  type Operation,
} from '../../functions/core/index.js';

/** Built-in kinds that live outside namespaces (kubectl api-resources --namespaced=false). */
const clusterScopedKinds = new Set([
  'APIService',
  'CertificateSigningRequest',
  'ClusterIssuer',
  'ClusterRole',
  'ClusterRoleBinding',
  'ComponentStatus',
  'CSIDriver',
  'CSINode',
  'CustomResourceDefinition',
  'FlowSchema',
  'IngressClass',
  'MutatingWebhookConfiguration',
  'Namespace',
  'Node',
  'PersistentVolume',
  'PodSecurityPolicy',
  'PriorityClass',
  'PriorityLevelConfiguration',
  'RuntimeClass',
  'StorageClass',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
  'VolumeAttachment',
]);

export function isClusterScoped(kind: string): boolean {
  return clusterScopedKinds.has(kind);
}

// Names that are not strings are left to the review's own validation to report.
const metadataSchema = z.looseObject({
  name: z.string().optional().catch(undefined),
  namespace: z.string().optional().catch(undefined),
  generateName: z.string().optional().catch(undefined),
});

export interface ObjectIdentity {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly resource: string;
  /** '' for cluster-scoped kinds, whatever the manifest says (the API server ignores it too). */
  readonly namespace: string;
  /** Whether the object names its namespace itself. */
  readonly namespaceWritten: boolean;
  readonly name: string;
}

export function identify(object: Record<string, unknown>, defaultNamespace: string): ObjectIdentity {
  const apiVersion = String(object.apiVersion);
  const kind = String(object.kind);
  const slash = apiVersion.indexOf('/');
  const [group, version] = slash < 0 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
  const metadata = metadataSchema.safeParse(object.metadata).data ?? {};
  const namespace = isClusterScoped(kind) ? '' : (metadata.namespace ?? defaultNamespace);
  const name = metadata.name ?? metadata.generateName ?? '';
  const namespaceWritten = metadata.namespace !== undefined;
  return { group, version, kind, resource: pluralResource(kind), namespace, namespaceWritten, name };
}

export interface ReviewParts {
  readonly uid: string;
  readonly operation: Operation;
  readonly subResource?: string | undefined;
  readonly object?: unknown;
  readonly oldObject?: unknown;
  readonly userInfo?: { username?: string; groups?: string[] } | undefined;
}

/** The request, or why the kernel's schema refuses it (paths named, no values). */
export function buildRequest(
  identity: ObjectIdentity,
  parts: ReviewParts,
): { value: AdmissionRequest } | { error: string } {
  const { group, version, kind, resource, namespace, name } = identity;
  const review = admissionReviewSchema.safeParse({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: parts.uid,
      kind:
        parts.subResource === 'scale'
          ? { group: 'autoscaling', version: 'v1', kind: 'Scale' }
          : { group, version, kind },
      resource: { group, version, resource },
      ...(parts.subResource ? { subResource: parts.subResource } : {}),
      name,
      ...(namespace ? { namespace } : {}),
      operation: parts.operation,
      userInfo: parts.userInfo ?? { username: 'admission-check' },
      object: parts.object,
      oldObject: parts.oldObject,
      dryRun: true,
    },
  });
  if (!review.success) return { error: describeIssues(review.error, 'object') };
  return { value: review.data.request };
}

/** The resource name the API server uses for a kind: lowercase plural. */
export function pluralResource(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower.endsWith('s')) return `${lower}es`;
  if (lower.endsWith('y')) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}
