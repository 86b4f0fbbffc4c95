// The approvals table does not grow without bound: every row carries keepUntil, and
// the notify timer (every minute) removes the rows past it, each with its ETag (a row
// written again meanwhile stays). Grants are kept 30 days past their expiry, for
// `admission-check audit`; everything else a day at most. A tick removes batches of
// 200, up to 10 batches or 20 s (2,000 rows a minute, some 2.9 million a day: more than
// Twilio delivers replies to one number), so a burst is cleared over a few ticks and
// one tick never runs into the next.
import type { TableRows } from '../sms/table-rows.js';

const sweepBatch = 200;
const maxBatches = 10;
const sweepBudgetMs = 20_000;

/** Resolves with how many rows went. */
export async function sweepApprovals(rows: TableRows, now: number, clock = performance): Promise<number> {
  const started = clock.now();
  let removed = 0;
  for (let batch = 0; batch < maxBatches && clock.now() - started < sweepBudgetMs; batch++) {
    const old = await rows.list(`keepUntil lt ${now}`, sweepBatch);
    for (const row of old) if (await rows.remove(row.partitionKey, row.rowKey, row.etag)) removed++;
    if (old.length < sweepBatch) break;
  }
  return removed;
}
