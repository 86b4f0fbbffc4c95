// Runs one manifest through the same decision core as the webhook, wrapped as the
// CREATE AdmissionReview the API server would send for `kubectl apply` of it.

import { z } from 'zod';
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

// Names that are not strings are left to the review's own validation to report.
const manifestMetadata = z.looseObject({
  name: z.string().optional().catch(undefined),
  namespace: z.string().optional().catch(undefined),
  generateName: z.string().optional().catch(undefined),
});

export function checkManifest(
  manifest: Manifest,
  index: number,
  policy: Policy,
  defaultNamespace: string,
): CheckResult {
  const { object } = manifest;
  const apiVersion = String(object.apiVersion);
  const kind = String(object.kind);
  const slash = apiVersion.indexOf('/');
  const [group, version] = slash < 0 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
  const metadata = manifestMetadata.safeParse(object.metadata).data ?? {};
  const namespace = metadata.namespace ?? defaultNamespace;
  const name = metadata.name ?? '';
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
    name: name || (metadata.generateName ?? '(unnamed)'),
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
