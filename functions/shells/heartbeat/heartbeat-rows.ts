// The heartbeat rows, one per cluster in the state table (smsstate, partition
// "heartbeat"): when the cluster's proxy was last heard from, when it was first heard
// from again after a silence, its failure mode, and the failure counts its proxies
// reported, added up. Several proxy replicas write the same row, so each write is a
// read, then a conditional write with the row's ETag, tried again on a conflict.
import type { Row, TableRows } from '../sms/table-rows.js';
import { addCounts, type FailureCounts, type HeartbeatBody, readStoredCounts } from './heartbeat-body.js';

export const heartbeatPartition = 'heartbeat';
const maxAttempts = 20;

export interface HeartbeatRecord {
  readonly cluster: string;
  readonly lastSeen: number;
  /** The first heartbeat after a gap of the silence limit or more (0: none yet). */
  readonly resumedAt: number;
  readonly failureMode: 'closed' | 'open';
  /** Every failure the cluster's proxies reported, added up since the row was made. */
  readonly failures: FailureCounts;
}

/** Records one heartbeat; `silenceMs`: the gap after which it counts as the first one back. */
export async function recordHeartbeat(
  rows: TableRows,
  beat: HeartbeatBody,
  now: number,
  silenceMs: number,
): Promise<HeartbeatRecord> {
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const current = await rows.get(heartbeatPartition, beat.cluster);
    const before = current ? toHeartbeatRecord(current) : undefined;
    const resumed = before !== undefined && now - before.lastSeen >= silenceMs;
    const record: HeartbeatRecord = {
      cluster: beat.cluster,
      lastSeen: Math.max(now, before?.lastSeen ?? 0),
      resumedAt: resumed ? now : (before?.resumedAt ?? 0),
      failureMode: beat.failureMode,
      failures: addCounts(before?.failures ?? {}, beat.failures),
    };
    const entity = {
      partitionKey: heartbeatPartition,
      rowKey: beat.cluster,
      lastSeen: record.lastSeen,
      resumedAt: record.resumedAt,
      failureMode: record.failureMode,
      failures: JSON.stringify(record.failures),
    };
    if (current ? await rows.replace(entity, current.etag) : await rows.insert(entity)) return record;
    await pause(attempt); // another replica's heartbeat came first: read again
  }
  throw new Error(`state table busy: ${maxAttempts} conflicting heartbeat writes in a row`);
}

/** Every cluster ever heard from (bounded: one row per cluster). */
export async function listHeartbeats(rows: TableRows): Promise<HeartbeatRecord[]> {
  return (await rows.list(`PartitionKey eq '${heartbeatPartition}'`, 1000)).map(toHeartbeatRecord);
}

function toHeartbeatRecord(row: Row): HeartbeatRecord {
  const { lastSeen, resumedAt, failureMode, failures } = row.values;
  return {
    cluster: row.rowKey,
    lastSeen: Number(lastSeen ?? 0),
    resumedAt: Number(resumedAt ?? 0),
    failureMode: failureMode === 'open' ? 'open' : 'closed',
    failures: readStoredCounts(failures),
  };
}

function pause(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * Math.min(attempt + 1, 10)));
}
