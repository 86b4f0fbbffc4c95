// The message the admission function puts on the SMS queue, one per notification.
// Versioned so that a message written by one release can be read by the next; the
// notify function parses it like any other input. Reading is lenient where writing
// may be generous: an over-long string or list is cut with a marker, not refused, so
// no notification admission can produce is lost to the poison queue.
import { z } from 'zod';
import { describeIssues } from '../describe-issues.js';
import { dnsLabelPattern, e164Pattern } from '../names.js';
import type { Notification } from '../notification.js';
import { kindPattern } from '../workload-kinds.js';
import { cutLists, fitQueueMessage } from './fit-queue-message.js';
import { cutText } from './user-text.js';

/** Longest string and list kept; longer ones are cut, ending with `cutMarker`. */
export const maxQueuedString = 1024;
export const maxQueuedItems = 200;
export const cutMarker = '...';

const text = z.string().transform((value) => cutText(value, maxQueuedString));
const omitted = z.number().int().min(0).optional();

const subject = {
  cluster: text.optional(),
  kind: z.string().regex(kindPattern),
  namespace: text,
  name: text,
  owner: text.optional(),
  operation: z.enum(['CREATE', 'UPDATE']),
  subResource: z.literal('scale').optional(),
  user: text,
  uid: text,
  at: text,
};

/**
 * Approve by reply: held to its bounds, never cut (a cut name or hash binds nothing).
 * An offer out of bounds is dropped on reading, and the BLOCKED text still goes.
 */
const approvalOffer = z.object({
  binding: z.object({
    cluster: z.string().max(63),
    namespace: z.string().max(253),
    kind: z.string().regex(kindPattern),
    name: z.string().min(1).max(253),
    rules: z.array(z.string().regex(dnsLabelPattern)).min(1).max(maxQueuedItems),
    specHash: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  approvers: z.array(z.string().regex(e164Pattern)).min(1).max(20),
  required: z.union([z.literal(1), z.literal(2)]),
});

const notificationSchema = z.discriminatedUnion('type', [
  z.object({
    ...subject,
    type: z.literal('blocked'),
    rules: z.array(text).optional(),
    reason: text,
    fix: text,
    approval: approvalOffer.optional().catch(undefined),
  }),
  z.object({
    ...subject,
    type: z.literal('created'),
    replicas: z.number().int().min(0),
    images: z.array(z.object({ container: text, image: text })),
    omitted,
  }),
  z.object({ ...subject, type: z.literal('changed'), changes: z.array(text), omitted }),
  z.object({ ...subject, type: z.literal('flagged'), rules: z.array(text).optional(), reason: text, fix: text }),
]);

const queueMessageSchema = z.object({ version: z.literal(1), notification: notificationSchema });

export interface QueueMessage {
  readonly version: 1;
  readonly notification: Notification;
}

/** The message for `notification`, summarised when it would not fit a queue message. */
export function toQueueMessage(notification: Notification): QueueMessage {
  return { version: 1, notification: fitQueueMessage(notification) };
}

/**
 * Reads a queue message as the Functions host hands it over: already decoded from
 * JSON, or a string when the content was not recognised as JSON.
 */
export function parseQueueMessage(raw: unknown): { readonly value: QueueMessage } | { readonly error: string } {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return { error: 'queue message is not valid JSON' };
    }
  }
  const parsed = queueMessageSchema.safeParse(value);
  if (!parsed.success) return { error: `queue message is not a notification: ${describeIssues(parsed.error, '')}` };
  const { notification } = parsed.data;
  // JSON has no undefined: absent optional fields come back as undefined, as the type says.
  const read = { ...notification, cluster: notification.cluster, subResource: notification.subResource };
  return { value: { version: 1, notification: cutLists(read, maxQueuedItems) } };
}
