// Duplicates and flood budgets in Azure Table Storage, in the function app's own
// storage account (AzureWebJobsStorage), so every instance of a scaled-out app sees
// the same state. Every write that decides something is conditional: a claim is an
// insert that fails when the row exists, a count or a takeover is an update that
// fails when the row's ETag changed. Of two instances racing, one wins; the other
// sees "busy" (its message is retried) or a spent budget. The SDK is loaded on the
// first message, like twilio: admission never loads it.
import { createHash } from 'node:crypto';
import type { Notification } from '../../core/index.js';
import type { StateStorage } from '../settings/state-storage.js';
import type { ClaimResult, DuplicateFilter } from './duplicate-filter.js';
import { type BudgetLimits, type DueSummary, type FloodBudget, windowStartOf } from './flood-budget.js';
import { decrement, incrementBelow, incrementField } from './table-counters.js';
import { createTableRows, type TableRows } from './table-rows.js';

export const stateTableName = 'smsstate';
/** A claim not confirmed within this is taken over: the instance sending it died. */
export const sendLeaseMs = 120_000;
/** Rows removed per sweep (one each minute, from the timer). */
const sweepBatch = 200;
const kinds: readonly Notification['type'][] = ['blocked', 'created', 'changed', 'flagged'];

/** Connects on first use; the table is made when missing. */
export function connectStateTable(storage: StateStorage): TableRows {
  return createTableRows(storage, stateTableName);
}

export function createTableDuplicateFilter(rows: TableRows, windowMs: number, now = Date.now): DuplicateFilter {
  const partitionKey = 'duplicate';
  return {
    async claim(rowKey): Promise<ClaimResult> {
      if (windowMs <= 0) return 'claimed';
      const time = now();
      const lease = { partitionKey, rowKey, state: 'sending', expiresAt: time + sendLeaseMs };
      if (await rows.insert(lease)) return 'claimed';
      const current = await rows.get(partitionKey, rowKey);
      if (!current) return 'busy'; // released a moment ago: the retry will claim it
      if (Number(current.values.expiresAt) > time) return current.values.state === 'sending' ? 'busy' : 'duplicate';
      return (await rows.replace(lease, current.etag)) ? 'claimed' : 'busy';
    },
    async confirm(rowKey) {
      if (windowMs > 0) await rows.upsert({ partitionKey, rowKey, state: 'sent', expiresAt: now() + windowMs });
    },
    async release(rowKey) {
      await rows.remove(partitionKey, rowKey);
    },
  };
}

export function createTableBudget(rows: TableRows, limits: BudgetLimits): FloodBudget {
  const heldPartition = 'held';
  return {
    windowMs: limits.windowMs,
    async spend(scope, now) {
      const partitionKey = `budget-${windowStartOf(now, limits.windowMs)}`;
      const cluster = `cluster-${hash(scope.cluster)}`;
      if (!(await incrementBelow(rows, partitionKey, cluster, limits.perCluster))) return false;
      if (await incrementBelow(rows, partitionKey, `recipient-${scope.recipient}`, limits.perRecipient)) return true;
      await decrement(rows, partitionKey, cluster); // the phone's budget is spent: give the cluster's back
      return false;
    },
    async refund(scope, now) {
      const partitionKey = `budget-${windowStartOf(now, limits.windowMs)}`;
      await decrement(rows, partitionKey, `cluster-${hash(scope.cluster)}`);
      await decrement(rows, partitionKey, `recipient-${scope.recipient}`);
    },
    async hold(scope, type, now) {
      const windowStart = windowStartOf(now, limits.windowMs);
      const rowKey = `${windowStart}-${hash(scope.cluster)}-${scope.recipient}`;
      const fields = { ...scope, windowStart, windowEnd: padded(windowStart + limits.windowMs) };
      const row = await incrementField(rows, heldPartition, rowKey, type, fields);
      return kinds.reduce((sum, kind) => sum + Number(row[kind] ?? 0), 0);
    },
    async takeDueSummaries(now) {
      const due = await rows.list(`PartitionKey eq '${heldPartition}' and windowEnd le '${padded(now)}'`);
      const taken: DueSummary[] = [];
      for (const row of due) {
        // Deleting with the row's ETag is the claim: one instance succeeds.
        if (!(await rows.remove(heldPartition, row.rowKey, row.etag))) continue;
        const counts = Object.fromEntries(kinds.map((kind) => [kind, Number(row.values[kind] ?? 0)]));
        const { cluster, recipient, windowStart } = row.values;
        taken.push({
          cluster: String(cluster),
          recipient: String(recipient),
          windowStart: Number(windowStart),
          counts,
        });
      }
      return taken;
    },
    async sweep(now) {
      // Rows of windows and duplicates that are over: the table does not grow without bound.
      const current = `budget-${windowStartOf(now, limits.windowMs)}`;
      const budgets = await rows.list(`PartitionKey ge 'budget-' and PartitionKey lt '${current}'`, sweepBatch);
      const duplicates = await rows.list(`PartitionKey eq 'duplicate' and expiresAt lt ${now}`, sweepBatch);
      for (const row of [...budgets, ...duplicates]) await rows.remove(row.partitionKey, row.rowKey, row.etag);
      return budgets.length + duplicates.length;
    },
    async giveBack(summary) {
      const rowKey = `${summary.windowStart}-${hash(summary.cluster)}-${summary.recipient}`;
      const windowEnd = padded(summary.windowStart + limits.windowMs);
      const { cluster, recipient, windowStart, counts } = summary;
      await rows.upsert({ partitionKey: heldPartition, rowKey, cluster, recipient, windowStart, windowEnd, ...counts });
    },
  };
}

/** Times as fixed-width strings: compared as text by a table filter, they sort as numbers. */
function padded(time: number): string {
  return String(time).padStart(15, '0');
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}
