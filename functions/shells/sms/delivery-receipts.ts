// Delivery receipts in the state table (smsstate): one row per text sent, keyed by
// Twilio's MessageSid, moved forward by status callbacks; and one row per number a
// carrier called undeliverable for good, keyed by recipientId (a hash, never the
// number). Every write that decides something is conditional (ETag), so replayed or
// concurrent callbacks escalate a failed text once and mark a number once.

import { movesForward } from './delivery-status.js';
import { incrementField } from './table-counters.js';
import type { Fields, Row, TableRows } from './table-rows.js';
import { sendLeaseMs } from './table-state.js';

const messages = 'message';
const marks = 'undeliverable';
/** Rows of texts are kept this long: Twilio reports within hours, and a text's row holds its body. */
export const receiptRetentionMs = 7 * 24 * 3_600_000;
const maxAttempts = 20;

export interface SentRecord {
  readonly sid: string;
  /** recipientId(number). */
  readonly recipient: string;
  /** Position in its list, and the list: `ops` (OPS_PHONE_NUMBERS), `routes[N]`, or `fallback`. */
  readonly recipientIndex: number;
  readonly route: string;
  readonly namespace: string;
  readonly cluster: string;
  /** Kept to re-send it to the route's fallback numbers. */
  readonly body: string;
  /** For a text to a fallback number: the SID of the text it stands in for (never escalated again). */
  readonly fallbackOf?: string;
}

export interface MessageRecord extends SentRecord {
  readonly state: string;
  readonly errorCode: number | undefined;
  readonly escalation: string;
}

export type StatusChange =
  | { readonly change: 'unknown' }
  | { readonly change: 'unchanged' | 'updated'; readonly message: MessageRecord };

export interface UndeliverableMark {
  readonly errorCode: number;
  readonly skipped: number;
}

export interface DeliveryReceipts {
  recordSent(record: SentRecord, now: number): Promise<void>;
  /** Moves the text's row forward to `state`; never backward, never out of a final state. */
  applyStatus(sid: string, state: string, errorCode: number | undefined, now: number): Promise<StatusChange>;
  /** True for the one caller that may text the fallback numbers now. */
  claimEscalation(sid: string, now: number): Promise<boolean>;
  /** The fallback numbers were texted (or tried): never again for this text. */
  finishEscalation(sid: string): Promise<void>;
  /** Marks the text's number undeliverable; false when it already was. */
  markUndeliverable(message: MessageRecord, errorCode: number, now: number): Promise<boolean>;
  /** The number's mark, counting this skip, or undefined when it may be texted. */
  skipIfMarked(recipient: string): Promise<UndeliverableMark | undefined>;
  /** Removes rows of texts older than the retention; resolves with how many went. */
  sweep(now: number): Promise<number>;
}

/** `resetAt`: SMS_UNDELIVERABLE_RESET; marks made before it are ignored. */
export function createDeliveryReceipts(rows: TableRows, resetAt = 0): DeliveryReceipts {
  const markOf = async (recipient: string) => {
    const row = await rows.get(marks, recipient);
    return row && Number(row.values.markedAt) >= resetAt ? row : undefined;
  };
  return {
    async recordSent(record, now) {
      const { sid, fallbackOf = '', ...fields } = record;
      await rows.upsert({ partitionKey: messages, rowKey: sid, ...fields, fallbackOf, state: 'queued', sentAt: now });
    },
    applyStatus: (sid, state, errorCode, now) => moveForward(rows, sid, state, errorCode, now),
    async claimEscalation(sid, now) {
      const row = await rows.get(messages, sid);
      const { escalation, escalationAt } = row?.values ?? {};
      if (!row || escalation === 'done') return false;
      if (escalation === 'sending' && Number(escalationAt) + sendLeaseMs > now) return false;
      return rows.replace({ ...entity(row), escalation: 'sending', escalationAt: now }, row.etag);
    },
    async finishEscalation(sid) {
      for (let attempt = 0; attempt < maxAttempts; attempt++) {
        const row = await rows.get(messages, sid);
        if (!row || (await rows.replace({ ...entity(row), escalation: 'done' }, row.etag))) return;
      }
    },
    async markUndeliverable(message, errorCode, now) {
      if (await markOf(message.recipient)) return false;
      const { route, recipientIndex, sid } = message;
      await rows.upsert({
        partitionKey: marks,
        rowKey: message.recipient,
        errorCode,
        markedAt: now,
        route,
        recipientIndex,
        sid,
        skipped: 0,
      });
      return true;
    },
    async skipIfMarked(recipient) {
      if (!(await markOf(recipient))) return undefined;
      const row = await incrementField(rows, marks, recipient, 'skipped', {});
      return { errorCode: Number(row.errorCode), skipped: Number(row.skipped) };
    },
    async sweep(now) {
      const old = await rows.list(`PartitionKey eq '${messages}' and sentAt lt ${now - receiptRetentionMs}`, 200);
      for (const row of old) await rows.remove(row.partitionKey, row.rowKey, row.etag);
      return old.length;
    },
  };
}

async function moveForward(
  rows: TableRows,
  sid: string,
  state: string,
  errorCode: number | undefined,
  now: number,
): Promise<StatusChange> {
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const row = await rows.get(messages, sid);
    if (!row) return { change: 'unknown' };
    if (!movesForward(String(row.values.state), state))
      return { change: 'unchanged', message: toRecord(row.rowKey, row.values) };
    const values: Fields = { ...row.values, state, errorCode: errorCode ?? '', updatedAt: now };
    if (await rows.replace({ ...values, partitionKey: messages, rowKey: sid }, row.etag))
      return { change: 'updated', message: toRecord(sid, values) };
  }
  throw new Error(`state table busy: ${maxAttempts} conflicting writes in a row`);
}

function entity(row: Row) {
  return { ...row.values, partitionKey: row.partitionKey, rowKey: row.rowKey };
}

function toRecord(sid: string, values: Fields): MessageRecord {
  const text = (name: string) => String(values[name] ?? '');
  const code = Number(values.errorCode);
  return {
    sid,
    recipient: text('recipient'),
    recipientIndex: Number(values.recipientIndex),
    route: text('route'),
    namespace: text('namespace'),
    cluster: text('cluster'),
    body: text('body'),
    fallbackOf: text('fallbackOf') || undefined,
    state: text('state'),
    errorCode: values.errorCode !== '' && Number.isInteger(code) ? code : undefined,
    escalation: text('escalation'),
  };
}
