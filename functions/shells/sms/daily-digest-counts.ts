// The daily digest's counts, per cluster and UTC day, in the state table (smsstate,
// partition `digest-YYYY-MM-DD`): every notification notify receives, by kind, and
// per rule for denials and warnings. Each cluster's counts are spread over a few rows
// (shards, picked at random) so that a flood's concurrent writers rarely meet on one
// row; each write is a read and a write with the row's ETag, retried on a conflict.
// Counting never blocks or fails a text: a failure is logged and the event not counted.
import { createHash } from 'node:crypto';
import type { InvocationContext } from '@azure/functions';
import type { Notification } from '../../core/index.js';
import { updateRow } from './table-counters.js';
import type { Fields, TableRows } from './table-rows.js';

export const digestKinds: readonly Notification['type'][] = ['blocked', 'flagged', 'created', 'changed'];
const shards = 4;
/** Distinct rules kept per row: bounded by the policy anyway; this bounds the row. */
const maxRules = 100;

export interface DigestCounts {
  readonly cluster: string;
  readonly counts: Readonly<Record<Notification['type'], number>>;
  /** Denials and warnings per rule. */
  readonly rules: Readonly<Record<string, number>>;
}

/** Counts one notification; a failure is logged (no number, no object) and skipped. */
export type DigestCounter = (notification: Notification, context: InvocationContext) => Promise<void>;

/** `YYYY-MM-DD`, in UTC. */
export const utcDay = (time: number) => new Date(time).toISOString().slice(0, 10);
export const countPartition = (day: string) => `digest-${day}`;

export function hashCluster(cluster: string): string {
  return createHash('sha256').update(cluster).digest('base64url').slice(0, 22);
}

export function createDigestCounter(rows: TableRows, now = Date.now, shard = randomShard): DigestCounter {
  return async (notification, context) => {
    // A retried message was counted by its first delivery.
    const dequeued = context.triggerMetadata?.dequeueCount;
    if (typeof dequeued === 'number' && dequeued > 1) return;
    const cluster = notification.cluster ?? '';
    try {
      const rowKey = `${hashCluster(cluster)}-${shard()}`;
      await updateRow(rows, countPartition(utcDay(now())), rowKey, (current) =>
        addEvent(current, cluster, notification),
      );
    } catch (error) {
      const reason = error instanceof Error ? error.name : 'unknown';
      const line = { event: 'sms.digest-uncounted', errorCode: 'STATE_UNAVAILABLE', uid: notification.uid, reason };
      context.warn(JSON.stringify({ ...line, type: notification.type, namespace: notification.namespace }));
    }
  };
}

/** The row's fields after one more event. Pure. */
export function addEvent(current: Fields | undefined, cluster: string, notification: Notification): Fields {
  const type = notification.type;
  const fields: Fields = { cluster, ...current, [type]: Number(current?.[type] ?? 0) + 1 };
  if (type !== 'blocked' && type !== 'flagged') return fields;
  const rules = readRules(current?.rules);
  for (const rule of new Set(notification.rules ?? [])) {
    if (rule === '__proto__') continue; // not a rule name a policy can hold; never a key to assign
    if (Object.hasOwn(rules, rule) || Object.keys(rules).length < maxRules) rules[rule] = (rules[rule] ?? 0) + 1;
  }
  return { ...fields, rules: JSON.stringify(rules) };
}

/** Every cluster's counts for `day`, its shards added up. */
export async function readDayCounts(rows: TableRows, day: string): Promise<DigestCounts[]> {
  const byCluster = new Map<string, DigestCounts>();
  for (const row of await rows.list(`PartitionKey eq '${countPartition(day)}'`, 10_000)) {
    const cluster = String(row.values.cluster ?? '');
    const before = byCluster.get(cluster) ?? { cluster, counts: zeroCounts(), rules: {} };
    const counts = { ...before.counts };
    for (const kind of digestKinds) counts[kind] += Number(row.values[kind] ?? 0);
    const rules: Record<string, number> = { ...before.rules };
    for (const [rule, count] of Object.entries(readRules(row.values.rules))) rules[rule] = (rules[rule] ?? 0) + count;
    byCluster.set(cluster, { cluster, counts, rules });
  }
  return [...byCluster.values()];
}

function zeroCounts(): Record<Notification['type'], number> {
  return { blocked: 0, flagged: 0, created: 0, changed: 0 };
}

/** Stored rule counts (JSON text); anything unreadable counts as none. */
function readRules(text: unknown): Record<string, number> {
  if (typeof text !== 'string') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    return Object.fromEntries(
      Object.entries(parsed).filter((entry): entry is [string, number] => Number.isInteger(entry[1])),
    );
  } catch {
    return {}; // written by hand or by a future release: start afresh
  }
}

function randomShard(): number {
  return Math.floor(Math.random() * shards);
}
