// A BLOCKED text that carries an ApprovalOffer: notify issues its one-time code and
// the route's approvers get the text with the reply line (`Reply APPROVE 482913 within
// 15 min to admit this exact change once.`); an approver the route does not text
// otherwise is added. Everyone else gets the text without it: a code goes only to the
// numbers it is valid from. Without the approvals table (no AzureWebJobsStorage) the
// text goes without the line, and a log line says so.
import type { InvocationContext } from '@azure/functions';
import { appendReplyLine, formatReplyLine, type Notification } from '../../core/index.js';
import type { TableRows } from '../sms/table-rows.js';
import { issueApprovalCode } from './issue-approval-code.js';
import { withdrawApprovalCode } from './withdraw-approval-code.js';

export interface ApprovalIssuing {
  readonly rows: TableRows;
  /** APPROVAL_TTL_MINUTES, in ms. */
  readonly ttlMs: number;
}

export interface Recipient {
  readonly to: string;
  /** `ops`, `routes[N]`, or `approvers` for an approver added for the code. */
  readonly route: string;
}

export interface AddressedText extends Recipient {
  readonly body: string;
  /** The text without the reply line: what a receipt row keeps and a fallback number gets. */
  readonly keptBody: string;
  /** The text carries the code (the reply line). */
  readonly offers?: boolean;
}

export interface AddressedTexts {
  readonly texts: AddressedText[];
  /** Takes the code back, when no text that carries it was sent. */
  readonly withdraw?: () => Promise<boolean>;
}

/** Throws when the approvals table fails: the message is retried, as for the other state. */
export async function addressBlockedText(
  notification: Notification,
  body: string,
  recipients: readonly Recipient[],
  issuing: ApprovalIssuing | undefined,
  now: number,
  context: InvocationContext,
): Promise<AddressedTexts> {
  const plain = { texts: recipients.map((recipient) => ({ ...recipient, body, keptBody: body })) };
  const offer = notification.type === 'blocked' ? notification.approval : undefined;
  if (!offer) return plain;
  const about = { uid: notification.uid, cluster: notification.cluster, namespace: notification.namespace };
  const object = { ...about, kind: notification.kind, name: notification.name };
  if (!issuing) {
    context.warn(JSON.stringify({ event: 'approval.unavailable', ...object, reason: 'no AzureWebJobsStorage' }));
    return plain;
  }
  const issued = await issueApprovalCode(issuing.rows, offer, now, issuing.ttlMs);
  const line = formatReplyLine(issued.code, Math.round(issuing.ttlMs / 60_000), offer.required);
  const withLine = appendReplyLine(body, line);
  const approvers = new Set(offer.approvers);
  const added = offer.approvers
    .filter((to) => !recipients.some((recipient) => recipient.to === to))
    .map((to) => ({ to, route: 'approvers' }));
  const expiresAt = new Date(issued.expiresAt).toISOString();
  const issuedLine = { event: 'approval.issued', ...object, approvers: approvers.size, required: offer.required };
  context.log(JSON.stringify({ ...issuedLine, expiresAt }));
  const texts = [...recipients, ...added].map((recipient) => ({
    ...recipient,
    body: approvers.has(recipient.to) ? withLine : body,
    keptBody: body,
    offers: approvers.has(recipient.to),
  }));
  return { texts, withdraw: () => withdrawApprovalCode(issuing.rows, offer.binding, issued.salt) };
}
