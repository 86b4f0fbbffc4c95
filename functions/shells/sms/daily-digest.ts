// The daily digest's timer (every 10 minutes from 07:00 to 07:50 UTC, on every
// instance): for each cluster with counts for the previous UTC day, one text to the
// numbers of the policy routes with `digest: true`. Exactly once across instances,
// as the dead man's switch: a claim row per cluster and day, written only with its
// ETag; the instance whose write lands sends, the others move on. The row keeps the
// text and the recipients reached, so a recipient held by the flood budget or whom
// Twilio could not reach for now is tried at the next run without texting the others
// twice; a claim not finished within the lease (its instance died) is taken over.
import type { InvocationContext } from '@azure/functions';
import { formatDigest, type NotificationRoute } from '../../core/index.js';
import { countPartition, type DigestCounts, hashCluster, readDayCounts, utcDay } from './daily-digest-counts.js';
import { deliverClaimedText } from './deliver-claimed-text.js';
import type { FloodBudget } from './flood-budget.js';
import type { SmsSender } from './sms-sender.js';
import type { Entity, Row, TableRows } from './table-rows.js';
import { sendLeaseMs } from './table-state.js';

export const digestSentPartition = 'digest-sent';
const dayMs = 86_400_000;
/** Rows of days before yesterday removed per run. */
const sweepBatch = 200;

export interface DigestDependencies {
  readonly rows: TableRows;
  readonly sender: SmsSender;
  readonly budget: FloodBudget;
  readonly routes: readonly NotificationRoute[];
  readonly now?: () => number;
}

/** One run; resolves with the number of texts sent. */
export type DailyDigest = (context: InvocationContext) => Promise<number>;

/** The numbers of the routes with `digest: true`, each once. */
export function digestRecipients(routes: readonly NotificationRoute[]): string[] {
  return [...new Set(routes.filter((route) => route.digest).flatMap((route) => route.to))];
}

export function createDailyDigest({ rows, sender, budget, routes, now = Date.now }: DigestDependencies): DailyDigest {
  const recipients = digestRecipients(routes);
  return async (context) => {
    if (recipients.length === 0) return 0;
    const day = utcDay(now() - dayMs);
    let sent = 0;
    for (const counts of await readDayCounts(rows, day)) {
      try {
        const claimed = await claimDigest(rows, day, counts, now());
        if (!claimed) continue; // sent already, or another instance has it
        const text = { cluster: counts.cluster, text: claimed.text, sentTo: claimed.sentTo };
        const result = await deliverClaimedText(
          { ...text, event: 'sms.digest', kind: 'daily' },
          { sender, budget, recipients, now },
          context,
        );
        sent += result.texts;
        await rows.upsert({
          ...claimed.entity,
          due: result.done ? '' : 'daily',
          sentTo: result.sentTo.join(','),
          leaseUntil: 0,
        });
      } catch (error) {
        // The next run tries again; a claim left behind is taken over when its lease ends.
        const line = { event: 'sms.digest-failed', errorCode: 'STATE_UNAVAILABLE', cluster: counts.cluster };
        context.error(JSON.stringify({ ...line, reason: error instanceof Error ? error.name : 'unknown' }));
      }
    }
    await sweepDigestRows(rows, day).catch(() => undefined); // tried again at the next run
    return sent;
  };
}

interface Claim {
  readonly entity: Entity;
  readonly text: string;
  readonly sentTo: readonly string[];
}

/** The cluster's digest for `day`, claimed for this instance; undefined when done or someone else's. */
async function claimDigest(
  rows: TableRows,
  day: string,
  counts: DigestCounts,
  now: number,
): Promise<Claim | undefined> {
  const rowKey = `${day}-${hashCluster(counts.cluster)}`;
  const current = await rows.get(digestSentPartition, rowKey);
  if (current && (current.values.due !== 'daily' || Number(current.values.leaseUntil ?? 0) > now)) return undefined;
  const text = current
    ? String(current.values.text ?? '')
    : formatDigest({ ...counts, cluster: counts.cluster || undefined, day });
  const sentTo = current ? readSentTo(current) : [];
  const entity = {
    partitionKey: digestSentPartition,
    rowKey,
    cluster: counts.cluster,
    day,
    due: 'daily',
    text,
    sentTo: sentTo.join(','),
    leaseUntil: now + sendLeaseMs,
  };
  const won = current ? await rows.replace(entity, current.etag) : await rows.insert(entity);
  return won ? { entity, text, sentTo } : undefined;
}

function readSentTo(row: Row): string[] {
  const { sentTo } = row.values;
  return typeof sentTo === 'string' && sentTo ? sentTo.split(',') : [];
}

/** Counts and claims of days before `day`: the table does not grow without bound. */
async function sweepDigestRows(rows: TableRows, day: string): Promise<void> {
  const counts = await rows.list(`PartitionKey ge 'digest-0' and PartitionKey lt '${countPartition(day)}'`, sweepBatch);
  const claims = await rows.list(`PartitionKey eq '${digestSentPartition}' and RowKey lt '${day}'`, sweepBatch);
  for (const row of [...counts, ...claims]) await rows.remove(row.partitionKey, row.rowKey, row.etag);
}
