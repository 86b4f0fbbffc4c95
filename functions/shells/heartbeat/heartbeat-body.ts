// What a heartbeat from the proxy says (proxy/heartbeat.ts writes it): the cluster, how
// the proxy fails (FAILURE_MODE) and the reviews it answered itself, by reason, since
// its last heartbeat that got through. Parsed with zod; problems name paths, not values.
import { z } from 'zod';
import { clusterNamePattern } from '../../core/index.js';

/** A heartbeat is a few hundred bytes; 16 KiB leaves room and bounds what is read. */
export const maxHeartbeatBytes = 16 * 1024;

/** Failure counts by reason (the proxy's admission_proxy_upstream_failures_total labels). */
export type FailureCounts = Readonly<Record<string, number>>;

const failureCounts = z
  .record(z.string().regex(/^[a-z_]{1,40}$/), z.number().int().min(0).max(1e12))
  .refine((counts) => Object.keys(counts).length <= 32, 'at most 32 reasons');

export const heartbeatSchema = z.object({
  version: z.literal(1),
  cluster: z.string().regex(clusterNamePattern),
  failureMode: z.enum(['closed', 'open']),
  failures: failureCounts,
});

export type HeartbeatBody = z.output<typeof heartbeatSchema>;

/** Stored counts (JSON text in a table row), read back; anything unreadable counts as none. */
export function readStoredCounts(text: unknown): FailureCounts {
  if (typeof text !== 'string') return {};
  try {
    const parsed = failureCounts.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : {};
  } catch {
    return {}; // not JSON: written by hand, or by a future release; start counting afresh
  }
}

/** a + b, reason by reason. */
export function addCounts(a: FailureCounts, b: FailureCounts): FailureCounts {
  const sum: Record<string, number> = { ...a };
  for (const [reason, count] of Object.entries(b)) sum[reason] = (sum[reason] ?? 0) + count;
  return sum;
}

/** later - earlier, reason by reason, leaving out what did not grow. */
export function subtractCounts(later: FailureCounts, earlier: FailureCounts): FailureCounts {
  return Object.fromEntries(
    Object.entries(later)
      .map(([reason, count]): [string, number] => [reason, count - (earlier[reason] ?? 0)])
      .filter(([, count]) => count > 0),
  );
}
