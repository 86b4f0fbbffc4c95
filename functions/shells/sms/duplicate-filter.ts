// Sends the same news to the same phone once per window. Queue retries and repeated
// admission calls (API server retries on conflict, a GitOps tool re-applying a
// denied Deployment every few minutes) otherwise text ops again and again.
//
// The rule (describeDuplicateIdentity): same cluster, namespace, owning workload,
// kind of event and rule (or changes), same recipient, within the window: sent once.
// This file keeps the memory in this process; table-state.ts keeps it in Azure
// Tables, shared by every instance of the function app.
import { createHash } from 'node:crypto';
import { describeDuplicateIdentity, type Notification } from '../../core/index.js';

/**
 * `claimed`: send it now (held until confirmed or released); `duplicate`: it was sent
 * within the window; `busy`: another invocation is sending it right now, so try later.
 */
export type ClaimResult = 'claimed' | 'duplicate' | 'busy';

export interface DuplicateFilter {
  claim(key: string): ClaimResult | Promise<ClaimResult>;
  /** The send succeeded (or the event was held for a summary): remember the key for the window. */
  confirm(key: string): void | Promise<void>;
  /** The send failed: let a retry through. */
  release(key: string): void | Promise<void>;
}

const maxRemembered = 10_000;

export function createDuplicateFilter(windowMs: number, now: () => number = Date.now): DuplicateFilter {
  // key -> expiry time; Infinity while a send is in flight. Insertion order is age order.
  const seen = new Map<string, number>();
  const forgetExpired = (time: number) => {
    for (const [key, expiry] of seen) {
      if (expiry > time && seen.size <= maxRemembered) break;
      if (expiry !== Number.POSITIVE_INFINITY) seen.delete(key);
    }
  };
  return {
    claim(key) {
      if (windowMs <= 0) return 'claimed';
      const time = now();
      forgetExpired(time);
      const expiry = seen.get(key);
      if (expiry === Number.POSITIVE_INFINITY) return 'busy';
      if (expiry !== undefined && expiry > time) return 'duplicate';
      seen.set(key, Number.POSITIVE_INFINITY);
      return 'claimed';
    },
    confirm(key) {
      if (windowMs <= 0) return;
      seen.delete(key);
      seen.set(key, now() + windowMs);
    },
    release(key) {
      seen.delete(key);
    },
  };
}

/** The identity of a text for duplicate detection; a hash, so no phone number is kept in clear. */
export function duplicateKey(notification: Notification, recipient: string): string {
  return hashOf(`${describeDuplicateIdentity(notification)}|${recipient}`);
}

/** A recipient as stored in shared state and budgets: a hash, never the number. */
export function recipientId(recipient: string): string {
  return hashOf(`recipient|${recipient}`).slice(0, 22);
}

function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
