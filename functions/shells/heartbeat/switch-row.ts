// The switch's row, one per cluster in the state table (partition "switch"): whether
// the cluster is silent, what it looked like when it fell silent, and the text that is
// due (SILENT or BACK) with the recipients it already reached. Only the timer writes
// it, and only with the row's ETag: the instance whose write wins owns the text, for
// a lease; an instance that died is taken over once the lease is over.
import type { Entity, Row } from '../sms/table-rows.js';
import { sendLeaseMs } from '../sms/table-state.js';
import { type FailureCounts, readStoredCounts, subtractCounts } from './heartbeat-body.js';
import type { HeartbeatRecord } from './heartbeat-rows.js';
import { formatRecovery, formatSilence } from './switch-texts.js';

export const switchPartition = 'switch';

export interface SwitchRow {
  readonly cluster: string;
  readonly state: 'alive' | 'silent';
  /** The last heartbeat before the silence, and the failures reported up to it. */
  readonly lastSeenAtSilence: number;
  readonly failuresAtSilence: FailureCounts;
  /** The text still to send ('' when none), its words, and whom it reached (recipientId). */
  readonly due: '' | 'silent' | 'back';
  readonly text: string;
  readonly sentTo: readonly string[];
  /** Until then the instance that claimed the text is sending it. */
  readonly leaseUntil: number;
}

/** What the timer should claim for this cluster now, if anything. Pure. */
export function nextSwitchRow(
  heartbeat: HeartbeatRecord,
  current: SwitchRow | undefined,
  now: number,
  silenceMs: number,
): SwitchRow | undefined {
  const leaseUntil = now + sendLeaseMs;
  // A text not yet sent to everyone (Twilio failed, budget spent, instance died) goes first.
  if (current?.due) return current.leaseUntil <= now ? { ...current, leaseUntil } : undefined;
  const { cluster, lastSeen, failureMode } = heartbeat;
  if ((current?.state ?? 'alive') === 'alive') {
    if (now - lastSeen < silenceMs) return undefined;
    const text = formatSilence({ cluster, lastSeen, now, failureMode });
    const silent = { state: 'silent', lastSeenAtSilence: lastSeen, failuresAtSilence: heartbeat.failures } as const;
    return { cluster, ...silent, due: 'silent', text, sentTo: [], leaseUntil };
  }
  if (!current || lastSeen <= current.lastSeenAtSilence) return undefined; // still silent
  const resumedAt = heartbeat.resumedAt > current.lastSeenAtSilence ? heartbeat.resumedAt : lastSeen;
  const failures = subtractCounts(heartbeat.failures, current.failuresAtSilence);
  const text = formatRecovery({ cluster, lastSeen: current.lastSeenAtSilence, resumedAt, failureMode, failures });
  return { ...current, state: 'alive', due: 'back', text, sentTo: [], leaseUntil };
}

export function toSwitchEntity(row: SwitchRow): Entity {
  return {
    partitionKey: switchPartition,
    rowKey: row.cluster,
    state: row.state,
    lastSeenAtSilence: row.lastSeenAtSilence,
    failuresAtSilence: JSON.stringify(row.failuresAtSilence),
    due: row.due,
    text: row.text,
    sentTo: row.sentTo.join(','),
    leaseUntil: row.leaseUntil,
  };
}

export function toSwitchRow(row: Row): SwitchRow {
  const { state, lastSeenAtSilence, failuresAtSilence, due, text, sentTo, leaseUntil } = row.values;
  return {
    cluster: row.rowKey,
    state: state === 'silent' ? 'silent' : 'alive',
    lastSeenAtSilence: Number(lastSeenAtSilence ?? 0),
    failuresAtSilence: readStoredCounts(failuresAtSilence),
    due: due === 'silent' || due === 'back' ? due : '',
    text: typeof text === 'string' ? text : '',
    sentTo: typeof sentTo === 'string' && sentTo ? sentTo.split(',') : [],
    leaseUntil: Number(leaseUntil ?? 0),
  };
}
