// Runs one manifest through the same decision core as the webhook, wrapped as the
// CREATE AdmissionReview the API server would send for `kubectl apply` of it.
import type { Policy, WebhookRule } from '../../functions/core/index.js';
import { type Evaluation, evaluateRequest } from './evaluate-request.js';
import type { InputProblem } from './input-files.js';
import { buildRequest, identify } from './object-review.js';
import type { Manifest } from './read-manifests.js';

export interface CheckResult extends Evaluation {
  readonly file: string;
  readonly line: number;
  readonly kind: string;
  /** '' for cluster-scoped objects. */
  readonly namespace: string;
  readonly name: string;
}

export function checkManifest(
  manifest: Manifest,
  index: number,
  policy: Policy,
  scope: readonly WebhookRule[],
  defaultNamespace: string,
): CheckResult | InputProblem {
  const { file, line, object } = manifest;
  const identity = identify(object, defaultNamespace);
  const request = buildRequest(identity, { uid: `admission-check-${index}`, operation: 'CREATE', object });
  const evaluation = 'error' in request ? request : evaluateRequest(request.value, policy, scope);
  if ('error' in evaluation) return { code: 'MANIFEST_INVALID', file, line, reason: evaluation.error };
  const { kind, name } = identity;
  // The default namespace is where the webhook would see the object; one it is never
  // sent keeps the namespace it was written with (a Kustomization or a CRD's object).
  const namespace = evaluation.value.outcome === 'not-sent' && !identity.namespaceWritten ? '' : identity.namespace;
  return { file, line, kind, namespace, name: name || '(unnamed)', ...evaluation.value };
}
