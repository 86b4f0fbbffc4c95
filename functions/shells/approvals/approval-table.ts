// The approvals table (`approvals`, in AzureWebJobsStorage beside smsstate): where the
// notify side keeps the codes it texted, the sms-reply side records approvals and
// lockouts, and the admission side claims grants. Every row of one binding is keyed
// on sha256(canonicalBinding): both sides compute it from the same facts, and the key
// says nothing about the object. Phone numbers are stored as recipientId hashes, and
// masked (`+44...1234`) where a text or a report shows who approved; never in full.
//
//   partition        row key          what
//   offer            bindingKey       codes texted for the binding (salted hashes), approvals so far
//   inbox-<id>       bindingKey       an approver's pending offers: where a reply looks for its code
//   grant            bindingKey       approved: who (masked), when, until when it may be claimed, usedAt
//   reply            MessageSid       a reply processed (its answer), so a retried webhook is answered alike
//   failures         <id>             a number's wrong codes in the last 15 minutes
//   lockout          <id>             a number locked out, until when
import { createHash } from 'node:crypto';
import { type ApprovalBinding, canonicalBinding } from '../../core/index.js';
import type { StateStorage } from '../settings/state-storage.js';
import { createTableRows, type TableRows } from '../sms/table-rows.js';

export const approvalTableName = 'approvals';

export const partitions = {
  offer: 'offer',
  grant: 'grant',
  reply: 'reply',
  failures: 'failures',
  lockout: 'lockout',
  inbox: (recipient: string) => `inbox-${recipient}`,
} as const;

/** Connects on first use (the SDK loads then); the table is made when missing. */
export function connectApprovalTable(storage: StateStorage): TableRows {
  return createTableRows(storage, approvalTableName);
}

/** The row key of every row about `binding`. */
export function bindingKey(binding: ApprovalBinding): string {
  return createHash('sha256').update(canonicalBinding(binding)).digest('hex');
}

/** Every row carries `keepUntil` (ms): the timer removes rows past it (sweep-approvals.ts). */
export const dayMs = 24 * 60 * 60_000;

/** True when `write` succeeded on one of `tries` attempts; each attempt re-reads (ETag conflicts). */
export async function retryOnConflict(write: () => Promise<boolean>, tries = 5): Promise<boolean> {
  for (let attempt = 0; attempt < tries; attempt++) if (await write()) return true;
  return false;
}
