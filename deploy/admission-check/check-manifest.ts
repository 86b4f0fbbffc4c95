// Runs one manifest through the same decision core as the webhook, wrapped as the
// CREATE AdmissionReview the API server would send for `kubectl apply` of it.

import type { Policy } from '../../functions/core/index.js';
import {
  admissionReviewSchema,
  type Decision,
  decide,
  describeIssues,
  readTarget,
} from '../../functions/core/index.js';
import { type Manifest, ManifestError } from './read-manifests.js';

export interface CheckResult {
  readonly file: string;
  readonly line: number;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly decision: Decision['outcome'];
  readonly violations: readonly string[];
  readonly warnings: readonly string[];
}

export function checkManifest(
  manifest: Manifest,
  index: number,
  policy: Policy,
  defaultNamespace: string,
): CheckResult {
  const { object } = manifest;
  const apiVersion = String(object.apiVersion);
  const kind = String(object.kind);
  const [group, version] = apiVersion.includes('/') ? (apiVersion.split('/') as [string, string]) : ['', apiVersion];
  const metadata = (object.metadata ?? {}) as { name?: unknown; namespace?: unknown; generateName?: unknown };
  const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : defaultNamespace;
  const name = typeof metadata.name === 'string' ? metadata.name : '';
  const review = admissionReviewSchema.safeParse({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: `admission-check-${index}`,
      kind: { group, version, kind },
      resource: { group, version, resource: pluralResource(kind) },
      name,
      namespace,
      operation: 'CREATE',
      userInfo: { username: 'admission-check' },
      object,
      dryRun: true,
    },
  });
  if (!review.success) throw new ManifestError(manifest.file, manifest.line, describeIssues(review.error, 'object'));
  const target = readTarget(review.data.request);
  if ('error' in target)
    throw new ManifestError(manifest.file, manifest.line, target.error.replace(/^request\.object/, 'object'));
  const decision = decide(review.data.request, target.value, policy, { cluster: undefined, now: new Date(0) });
  return {
    file: manifest.file,
    line: manifest.line,
    kind,
    namespace,
    name: name || String(metadata.generateName ?? '(unnamed)'),
    decision: decision.outcome,
    violations: decision.violations ?? [],
    warnings: decision.warnings,
  };
}

/** The resource name the API server uses for a kind: lowercase plural. */
function pluralResource(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower.endsWith('s')) return `${lower}es`;
  if (lower.endsWith('y')) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}
