// The flood budget: at most `perCluster` texts per cluster and `perRecipient` texts
// per phone in each window (fixed windows: 10:00-10:10, 10:10-10:20, ...). Past it,
// events are held, counted by kind, and once the window has ended ONE summary per
// cluster and phone says how many and of which kinds. A pod that can reach the proxy
// can make admission decide as often as it likes; this is what bounds the texts.
// This file is the in-process budget; table-state.ts shares it through Azure Tables.
import type { HeldCounts, Notification } from '../../core/index.js';

export interface BudgetScope {
  readonly cluster: string;
  /** recipientId(number): a hash, never the number. */
  readonly recipient: string;
}

export interface DueSummary extends BudgetScope {
  readonly windowStart: number;
  readonly counts: HeldCounts;
}

export interface FloodBudget {
  readonly windowMs: number;
  /** Takes one text from the budgets of the cluster and the recipient; false when either is spent. */
  spend(scope: BudgetScope, now: number): Promise<boolean>;
  /** Gives back a text that was not sent after all (Twilio failed; the retry spends again). */
  refund(scope: BudgetScope, now: number): Promise<void>;
  /** Counts one held event for its window's summary; resolves with the count held so far. */
  hold(scope: BudgetScope, type: Notification['type'], now: number): Promise<number>;
  /** Summaries of windows that have ended, each handed to one caller only. */
  takeDueSummaries(now: number): Promise<DueSummary[]>;
  /** A summary that could not be sent: hand it out again later. */
  giveBack(summary: DueSummary): Promise<void>;
  /** Forgets windows and duplicates that are over; resolves with how many rows went. */
  sweep(now: number): Promise<number>;
}

export interface BudgetLimits {
  readonly windowMs: number;
  readonly perCluster: number;
  readonly perRecipient: number;
}

export const windowStartOf = (now: number, windowMs: number) => Math.floor(now / windowMs) * windowMs;

export function createMemoryBudget(limits: BudgetLimits): FloodBudget {
  const spent = new Map<string, number>();
  const held = new Map<string, DueSummary>();
  const heldKey = (scope: BudgetScope, start: number) => JSON.stringify([scope.cluster, scope.recipient, start]);
  return {
    windowMs: limits.windowMs,
    async spend(scope, now) {
      const start = windowStartOf(now, limits.windowMs);
      for (const key of spent.keys()) if (!key.startsWith(`${start}|`)) spent.delete(key);
      const cluster = `${start}|cluster|${scope.cluster}`;
      const recipient = `${start}|recipient|${scope.recipient}`;
      if ((spent.get(cluster) ?? 0) >= limits.perCluster) return false;
      if ((spent.get(recipient) ?? 0) >= limits.perRecipient) return false;
      spent.set(cluster, (spent.get(cluster) ?? 0) + 1);
      spent.set(recipient, (spent.get(recipient) ?? 0) + 1);
      return true;
    },
    async refund(scope, now) {
      const start = windowStartOf(now, limits.windowMs);
      for (const key of [`${start}|cluster|${scope.cluster}`, `${start}|recipient|${scope.recipient}`])
        spent.set(key, Math.max(0, (spent.get(key) ?? 0) - 1));
    },
    async hold(scope, type, now) {
      const windowStart = windowStartOf(now, limits.windowMs);
      const key = heldKey(scope, windowStart);
      const before = held.get(key) ?? { ...scope, windowStart, counts: {} };
      const counts = { ...before.counts, [type]: (before.counts[type] ?? 0) + 1 };
      held.set(key, { ...before, counts });
      return Object.values(counts).reduce((sum, count) => sum + (count ?? 0), 0);
    },
    async takeDueSummaries(now) {
      const due = [...held.entries()].filter(([, summary]) => summary.windowStart + limits.windowMs <= now);
      for (const [key] of due) held.delete(key);
      return due.map(([, summary]) => summary);
    },
    async giveBack(summary) {
      held.set(heldKey(summary, summary.windowStart), summary);
    },
    // spend() already forgets past windows; the memory filter forgets its own keys.
    sweep: async () => 0,
  };
}
