// A reply's code against the offers texted to its number: the inbox rows of the
// number name the bindings, each offer row holds salted hashes of its codes. A match
// is recorded with the offer's ETag (two replies racing: one write wins, the other
// reads again), and once the required approvals are in, the offer is marked granted
// (the codes are spent: single use) and the grant row written for the admission side.
import type { ApprovalSubject } from '../../core/index.js';
import type { TableRows } from '../sms/table-rows.js';
import { codeMatches } from './approval-codes.js';
import { partitions } from './approval-table.js';
import { grantEntity, readGrant } from './grant-row.js';
import { type Offer, offerEntity, readOffer } from './offer-row.js';

export type ApprovalOutcome =
  | { readonly kind: 'no-match' }
  | { readonly kind: 'expired'; readonly subject: ApprovalSubject }
  | {
      readonly kind: 'granted';
      readonly subject: ApprovalSubject;
      readonly approvers: readonly string[];
      readonly until: number;
    }
  | { readonly kind: 'already-granted'; readonly subject: ApprovalSubject; readonly until: number }
  | {
      readonly kind: 'first-of-two';
      readonly subject: ApprovalSubject;
      readonly until: number;
      readonly again: boolean;
    };

export interface Approver {
  /** recipientId of the number that replied. */
  readonly id: string;
  /** The number masked (`+44…1234`). */
  readonly masked: string;
}

/** Most open (and most expired) offers one number is looked up in: more are not texted in a code's lifetime. */
const maxInbox = 50;
/** ETag conflicts one offer retries; past them the reply fails (500) rather than count a right code as wrong. */
const offerTries = 5;

export async function recordApproval(
  rows: TableRows,
  approver: Approver,
  code: string,
  now: number,
  ttlMs: number,
): Promise<ApprovalOutcome> {
  // Open offers first, then expired ones (to answer "expired"): a busy day leaves many
  // expired inbox rows, which must not crowd a fresh code out of the lookup.
  const inbox = `PartitionKey eq '${partitions.inbox(approver.id)}'`;
  for (const filter of [`${inbox} and expiresAt gt ${now}`, `${inbox} and expiresAt le ${now}`]) {
    for (const entry of await rows.list(filter, maxInbox)) {
      const outcome = await tryOffer(rows, entry.rowKey, approver, { code, now, ttlMs });
      if (outcome) return outcome;
    }
  }
  return { kind: 'no-match' };
}

/** The outcome when the code is one of this offer's, else undefined. */
async function tryOffer(
  rows: TableRows,
  rowKey: string,
  approver: Approver,
  reply: { readonly code: string; readonly now: number; readonly ttlMs: number },
): Promise<ApprovalOutcome | undefined> {
  const { code, now, ttlMs } = reply;
  for (let attempt = 0; attempt < offerTries; attempt++) {
    const row = await rows.get(partitions.offer, rowKey);
    const offer = row ? readOffer(row.values) : undefined;
    const match = offer?.codes.find((stored) => stored.to.includes(approver.id) && codeMatches(code, stored));
    if (!row || !offer || !match) return undefined;
    if (offer.grantedUntil !== undefined) {
      await ensureGrant(rows, rowKey, offer, offer.grantedUntil);
      return { kind: 'already-granted', subject: offer.subject, until: offer.grantedUntil };
    }
    if (match.expiresAt <= now) return { kind: 'expired', subject: offer.subject };
    const outcome = await approve(rows, { rowKey, etag: row.etag, offer }, approver, now, ttlMs);
    if (outcome) return outcome;
  }
  throw new Error('the approval offer kept changing');
}

/** Undefined when the offer changed since it was read: the caller reads it again. */
async function approve(
  rows: TableRows,
  current: { readonly rowKey: string; readonly etag: string; readonly offer: Offer },
  approver: Approver,
  now: number,
  ttlMs: number,
): Promise<ApprovalOutcome | undefined> {
  const { rowKey, etag, offer } = current;
  const firstUntil = Math.max(...offer.codes.map((stored) => stored.expiresAt));
  if (offer.approvals.some((approval) => approval.id === approver.id))
    return { kind: 'first-of-two', subject: offer.subject, until: firstUntil, again: true };
  const approvals = [...offer.approvals, { id: approver.id, masked: approver.masked, at: now }];
  if (approvals.length < offer.required) {
    const written = await rows.replace(offerEntity(rowKey, { ...offer, approvals }), etag);
    return written ? { kind: 'first-of-two', subject: offer.subject, until: firstUntil, again: false } : undefined;
  }
  const until = now + ttlMs;
  // The offer's ETag write is the single use: only the reply that wins it writes the grant.
  if (!(await rows.replace(offerEntity(rowKey, { ...offer, approvals, grantedUntil: until }), etag))) return undefined;
  const approvers = approvals.map((approval) => approval.masked);
  const grant = { approvers, approvedAt: new Date(now).toISOString(), expiresAt: until };
  await rows.upsert(grantEntity(rowKey, offer.subject, grant));
  return { kind: 'granted', subject: offer.subject, approvers, until };
}

/**
 * The grant of an offer marked granted, written if the reply that won the offer failed
 * before writing it (Twilio's retry, or another approver's reply, lands here). A grant
 * row of this grant (its expiresAt) is left alone, used or not: never granted twice.
 */
async function ensureGrant(rows: TableRows, rowKey: string, offer: Offer, until: number): Promise<void> {
  const current = await rows.get(partitions.grant, rowKey);
  if (current && readGrant(current.values)?.expiresAt === until) return;
  const last = Math.max(...offer.approvals.map((approval) => approval.at));
  const approvers = offer.approvals.map((approval) => approval.masked);
  const grant = { approvers, approvedAt: new Date(last).toISOString(), expiresAt: until };
  const entity = grantEntity(rowKey, offer.subject, grant);
  await (current ? rows.replace(entity, current.etag) : rows.insert(entity));
}
