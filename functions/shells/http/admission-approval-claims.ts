// Which approval claims the admission function makes: none unless the policy has
// rules marked `approvable` and a route with approvers (then a denial could ever be
// approved), and the app has state storage (AzureWebJobsStorage, where the sms-reply
// function records grants). The table client connects a few seconds after start-up,
// in the background (the SDK, a managed-identity token, the table), so that the first
// claim on a new instance is one round trip within its 1 s, not all of that.
import type { ApprovalClaims, Policy } from '../../core/index.js';
import { createApprovalClaims } from '../approvals/approval-claims.js';
import { connectApprovalTable, partitions } from '../approvals/approval-table.js';
import type { StateStorage } from '../settings/state-storage.js';

/** After the instance's start-up (and its first reviews), not during it. */
const warmUpDelayMs = 3000;

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
  let state: StateStorage | undefined;
  try {
    state = storage();
  } catch (error) {
    // A storage setting for notify's state must not stop the admission function: no approvals.
    log(
      `admission: no approvals are claimed: ${error instanceof Error ? error.message : 'unreadable storage setting'}`,
    );
    return undefined;
  }
  if (state === undefined) {
    log('admission: the policy has approvable rules but no AzureWebJobsStorage, so no approvals are claimed');
    return undefined;
  }
  const rows = connectApprovalTable(state);
  // A read of a row that never exists (grant keys are SHA-256 hex); a failure is the first claim's to report.
  setTimeout(() => rows.get(partitions.grant, 'warm-up').catch(() => undefined), warmUpDelayMs).unref();
  return createApprovalClaims(rows); // bounded by settleApproval (claimTimeoutMs)
}
