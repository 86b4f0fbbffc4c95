// The approvals table does not grow without bound: every row carries keepUntil, and
// the notify timer (every minute) removes up to 200 rows past it, each with its ETag
// (a row written again meanwhile stays). Grants are kept 30 days past their expiry,
// for `admission-check audit`; everything else a day at most.
import type { TableRows } from '../sms/table-rows.js';

const sweepBatch = 200;

/** Resolves with how many rows went. */
export async function sweepApprovals(rows: TableRows, now: number): Promise<number> {
  const old = await rows.list(`keepUntil lt ${now}`, sweepBatch);
  let removed = 0;
  for (const row of old) if (await rows.remove(row.partitionKey, row.rowKey, row.etag)) removed++;
  return removed;
}
