// Which approval claims the admission function makes: none unless the policy has
// rules marked `approvable` and a route with approvers (then a denial could ever be
// approved), and the app has state storage (AzureWebJobsStorage, where the sms-reply
// function records grants). The table client connects on the first claim.
import type { ApprovalClaims, Policy } from '../../core/index.js';
import { createTableApprovalClaims } from '../approvals/approval-claims.js';
import type { StateStorage } from '../settings/state-storage.js';

/** Whether any denial under `policy` may be approved by reply. */
export function offersApprovals(policy: Policy): boolean {
  return policy.rules.some((rule) => rule.approvable === true) && (policy.approvalRoutes ?? []).length > 0;
}

export function createAdmissionApprovalClaims(
  policy: Policy,
  storage: () => StateStorage | undefined,
  log: (line: string) => void,
): ApprovalClaims | undefined {
  if (!offersApprovals(policy)) return undefined;
  const state = storage();
  if (state === undefined) {
    log('admission: the policy has approvable rules but no AzureWebJobsStorage, so no approvals are claimed');
    return undefined;
  }
  return createTableApprovalClaims(state); // bounded by settleApproval (claimTimeoutMs)
}
