// Sends the same text to the same phone once per window. Queue retries and repeated
// admission calls (API server retries on conflict, a GitOps tool re-applying a
// denied Deployment every few minutes) otherwise text ops again and again.
//
// The rule: same cluster, namespace, name, kind of event and content (reason,
// changes, or images and replicas), same recipient, within the window: sent once.
// Who made the request and when does not count. The memory is per process: a
// scaled-out app may send one duplicate per instance.
import { createHash } from 'node:crypto';
import type { Notification } from '../../core/index.js';

export interface DuplicateFilter {
  /** True when this key may be sent now; it is then held until confirmed or released. */
  claim(key: string): boolean;
  /** The send succeeded: remember the key for the window. */
  confirm(key: string): void;
  /** The send failed: let a retry through. */
  release(key: string): void;
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
      if (windowMs <= 0) return true;
      const time = now();
      forgetExpired(time);
      const expiry = seen.get(key);
      if (expiry !== undefined && expiry > time) return false;
      seen.set(key, Number.POSITIVE_INFINITY);
      return true;
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
  const { type, cluster, namespace, name, subResource } = notification;
  const content =
    notification.type === 'blocked' || notification.type === 'flagged'
      ? [notification.reason]
      : notification.type === 'created'
        ? [notification.replicas, ...notification.images.map((entry) => `${entry.container}=${entry.image}`)]
        : notification.changes;
  const identity = JSON.stringify([type, cluster ?? '', namespace, name, subResource ?? '', content, recipient]);
  return createHash('sha256').update(identity).digest('base64url');
}
