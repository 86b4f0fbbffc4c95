// Approve by reply, the admission side's test kit: a policy whose minimum-replicas rule
// is approvable (required-labels is not), decisions of fixture reviews under it, and
// an in-memory ApprovalClaims standing in for the approvals table.
import {
  type ApprovalBinding,
  type ApprovalClaims,
  admissionReviewSchema,
  type ClaimedApproval,
  canonicalBinding,
  type Decision,
  decide,
  loadPolicyParser,
  type Policy,
  readTarget,
} from '../../functions/core/index.js';

export const approvers = { alice: '+447700900123', bob: '+15551230001' } as const;
export const now = new Date('2026-12-02T10:45:00Z');

const { parsePolicyText } = await loadPolicyParser();

/** min-replicas (approvable) and required-labels (not) for everything; approvers for namespace shop. */
export function approvalPolicy(required: 1 | 2 = 1): Policy {
  const text = `apiVersion: admission.serverless.io/v1
kind: AdmissionPolicy
rules:
  - name: min-replicas
    builtin: minimum-replicas
    minimum: 3
    approvable: true
  - name: part-of-label
    builtin: required-labels
    labels: [app.kubernetes.io/part-of]
notifications:
  routes:
    - namespaces: [shop]
      to: ["+15551230009"]
      approvers: ["${approvers.alice}", "${approvers.bob}"]
      approvals: ${required}
`;
  return parsePolicyText('policy.yaml', text).policy;
}

export function decideReview(review: unknown, policy: Policy, cluster = 'prod-aks'): Decision {
  const { request } = admissionReviewSchema.parse(review);
  const target = readTarget(request);
  if ('error' in target) throw new Error(`fixture does not parse: ${target.error}`);
  return decide(request, target.value, policy, { cluster, now });
}

interface Grant {
  readonly approval: ClaimedApproval;
  used: boolean;
}

/** Grants by canonical binding, each claimed once; `calls` records every claim tried. */
export function memoryClaims() {
  const grants = new Map<string, Grant>();
  const calls: { binding: ApprovalBinding; dryRun: boolean }[] = [];
  const claims: ApprovalClaims = {
    async claim(binding, { dryRun }) {
      calls.push({ binding, dryRun });
      const grant = grants.get(canonicalBinding(binding));
      if (!grant || grant.used) return undefined;
      if (!dryRun) grant.used = true;
      return grant.approval;
    },
  };
  const grant = (binding: ApprovalBinding, approval: ClaimedApproval) =>
    grants.set(canonicalBinding(binding), { approval, used: false });
  return { claims, grant, calls };
}
