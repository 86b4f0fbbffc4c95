// Twilio retries a webhook that failed or timed out: each MessageSid is processed
// once. The first request creates the reply row (create-only); the answer is stored
// on it, and a repeat of the MessageSid gets that same answer without processing
// again. A request that failed half-way removes its row, so Twilio's retry runs anew.
import type { TableRows } from '../sms/table-rows.js';
import { dayMs, partitions } from './approval-table.js';

/** A row that says "processing" longer than this belonged to an invocation that died. */
const processingLeaseMs = 30_000;

export type ReplyClaim =
  | { readonly kind: 'first' }
  | { readonly kind: 'repeat'; readonly answer: string }
  | { readonly kind: 'in-progress' };

export async function claimReply(rows: TableRows, messageSid: string, now: number): Promise<ReplyClaim> {
  const entity = {
    partitionKey: partitions.reply,
    rowKey: messageSid,
    state: 'processing',
    at: now,
    keepUntil: now + dayMs,
  };
  if (await rows.insert(entity)) return { kind: 'first' };
  const current = await rows.get(partitions.reply, messageSid);
  if (!current) return { kind: 'in-progress' }; // released a moment ago: answered 503, Twilio's next retry runs it
  const { state, answer, at } = current.values;
  if (state === 'done') return { kind: 'repeat', answer: typeof answer === 'string' ? answer : '' };
  if (Number(at) > now - processingLeaseMs) return { kind: 'in-progress' };
  return (await rows.replace(entity, current.etag)) ? { kind: 'first' } : { kind: 'in-progress' };
}

export async function recordAnswer(rows: TableRows, messageSid: string, answer: string, now: number): Promise<void> {
  const done = { partitionKey: partitions.reply, rowKey: messageSid, state: 'done', answer, at: now };
  await rows.upsert({ ...done, keepUntil: now + dayMs });
}

export async function releaseReply(rows: TableRows, messageSid: string): Promise<void> {
  await rows.remove(partitions.reply, messageSid);
}
