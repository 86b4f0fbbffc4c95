// Approve by reply, the admission side: a denial that may be approved (every denying
// rule approvable, approvers listed) tries to claim a grant for its exact binding,
// within a bound. Anything else never reaches the approvals table. A claim that fails
// or runs late keeps the denial: an approval can only ever admit, never block; and a
// late one that did write gives the grant back (approval-claims.ts), so it is not spent.
import { type ApprovalClaims, admitByApproval, type Decision, describeApprovers } from '../../core/index.js';

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
  const bound = new AbortController();
  try {
    const claimed = await withinBound((signal) => claims.claim(binding, { dryRun, signal }), timeoutMs, bound);
    if (!claimed) return { decision };
    const approved = { by: describeApprovers(claimed), rules: binding.rules };
    return { decision: admitByApproval(decision, binding, claimed), approved };
  } catch {
    // The table could not be reached or answered late: the denial stands; the caller logs the code.
    return { decision, errorCode: 'APPROVAL_CLAIM_FAILED' };
  }
}

/**
 * The claim, or a rejection at the bound. The signal aborts at the bound, before the
 * rejection: a claim whose write lands later sees it and gives the grant back.
 */
function withinBound<T>(
  start: (signal: AbortSignal) => Promise<T>,
  timeoutMs: number,
  bound: AbortController,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      bound.abort();
      reject(new Error(`the approval claim did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  const work = start(bound.signal);
  // A late claim settles unobserved; its rejection must not become an unhandled one.
  work.catch(() => undefined);
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
