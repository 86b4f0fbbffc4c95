// A denial turned into an admission by a claimed approval (approve by reply): allowed,
// with a warning kubectl shows and audit annotations the API server records, and no
// BLOCKED text. Only the shell can claim (the approvals table); the words are here.
import type { ApprovalBinding, ClaimedApproval } from './approval.js';
import type { Decision } from './decision.js';

/**
 * Audit annotation keys: the API server prefixes each with the webhook's name
 * (`deployments.admission.serverless.io/approved-by`), and refuses a key that already
 * holds a `/`, so these are bare names.
 */
export const approvalAuditKeys = {
  approvedBy: 'approved-by',
  approvedAt: 'approved-at',
  approvedRules: 'approved-rules',
} as const;

export function admitByApproval(denied: Decision, binding: ApprovalBinding, claimed: ClaimedApproval): Decision {
  const approvers = describeApprovers(claimed);
  const rules = `${binding.rules.length === 1 ? 'rule' : 'rules'} ${binding.rules.join(', ')}`;
  const warning = `approved by ${approvers} at ${describeTime(claimed.approvedAt)} (${rules})`;
  return {
    allowed: true,
    warnings: [warning, ...denied.warnings],
    notifications: [],
    audited: denied.audited,
    outcome: 'approved',
    auditAnnotations: {
      [approvalAuditKeys.approvedBy]: approvers,
      [approvalAuditKeys.approvedAt]: claimed.approvedAt,
      [approvalAuditKeys.approvedRules]: binding.rules.join(','),
    },
  };
}

/** The masked numbers, `+44...1234 and +1...0001`: warnings are printable ASCII, so `…` is written `...`. */
export function describeApprovers(claimed: ClaimedApproval): string {
  return claimed.approvers.map((approver) => approver.replaceAll('…', '...')).join(' and ');
}

/** `10:42 UTC` from an ISO time; the time as given when it is not one. */
function describeTime(iso: string): string {
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return iso;
  return `${time.toISOString().slice(11, 16)} UTC`;
}
