// Approve by reply, the admission side: a denial that may be approved (every denying
// rule approvable, approvers listed) tries to claim a grant for its exact binding,
// within a bound. Anything else never reaches the approvals table. A claim that fails
// or runs late keeps the denial: an approval can only ever admit, never block; and a
// late one that did write gives the grant back (approval-claims.ts), so it is not spent.
import { type ApprovalClaims, admitByApproval, type Decision, describeApprovers } from '../../core/index.js';
import { withinDeadline } from '../within-deadline.js';

/** How long a claim may hold a review: well inside the API server's webhook timeout (10 s by default). */
export const claimTimeoutMs = 1000;

export interface SettledDecision {
  readonly decision: Decision;
  /** Set when a grant was claimed: the approvers, masked (`+44...1234`), and the rules approved. */
  readonly approved?: { readonly by: string; readonly rules: readonly string[] };
  /** Set when a claim was tried and failed or ran late; the denial stands. */
  readonly errorCode?: 'APPROVAL_CLAIM_FAILED';
}

export async function settleApproval(
  decision: Decision,
  claims: ApprovalClaims | undefined,
  dryRun: boolean,
  timeoutMs = claimTimeoutMs,
): Promise<SettledDecision> {
  const binding = decision.approvable;
  if (decision.allowed || binding === undefined || claims === undefined) return { decision };
  try {
    const claimed = await withinDeadline(
      (signal) => claims.claim(binding, { dryRun, signal }),
      timeoutMs,
      `the approval claim did not finish within ${timeoutMs} ms`,
    );
    if (!claimed) return { decision };
    const approved = { by: describeApprovers(claimed), rules: binding.rules };
    return { decision: admitByApproval(decision, binding, claimed), approved };
  } catch {
    // The table could not be reached or answered late: the denial stands; the caller logs the code.
    // The signal aborted at the bound: a claim whose write lands later gives the grant back.
    return { decision, errorCode: 'APPROVAL_CLAIM_FAILED' };
  }
}
