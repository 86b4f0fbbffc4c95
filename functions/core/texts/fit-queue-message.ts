// Azure Storage refuses a queue message over 64 KiB, and the Functions host writes
// messages base64-encoded (host.json messageEncoding), so the JSON must stay within
// 3/4 of that: 49152 bytes. A Deployment with hundreds of containers or images with
// kilobyte names would produce more; such a notification is summarised here, before
// it is queued (strings cut, lists shortened with a count of what was left out),
// rather than lost when the host fails to write it.
import type { Notification } from '../notification.js';
import { cutText } from './user-text.js';

/** Bytes of JSON a queue message may hold once base64-encoded into 64 KiB. */
export const maxQueueMessageBytes = (65_536 / 4) * 3;
/** What a summarised notification keeps: this many list items, strings this long. */
const summarisedItems = 50;
const summarisedString = 256;

const encoder = new TextEncoder();
const sizeOf = (notification: Notification) => encoder.encode(JSON.stringify({ version: 1, notification })).byteLength;

export function fitQueueMessage(notification: Notification): Notification {
  if (sizeOf(notification) <= maxQueueMessageBytes) return notification;
  const cut = (text: string) => cutText(text, summarisedString);
  const short = cutLists(notification, summarisedItems);
  const subject = { ...short, namespace: cut(short.namespace), name: cut(short.name), user: cut(short.user) };
  switch (subject.type) {
    case 'created':
      return {
        ...subject,
        images: subject.images.map(({ container, image }) => ({ container: cut(container), image: cut(image) })),
      };
    case 'changed':
      return { ...subject, changes: subject.changes.map(cut) };
    default:
      return { ...subject, reason: cut(subject.reason), fix: cut(subject.fix), rules: subject.rules?.map(cut) };
  }
}

/** The notification with its lists cut to `max` items, the rest counted in `omitted`. */
export function cutLists(notification: Notification, max: number): Notification {
  const rules = 'rules' in notification && notification.rules ? notification.rules.slice(0, max) : undefined;
  switch (notification.type) {
    case 'created': {
      const { images } = notification;
      if (images.length <= max) return notification;
      return {
        ...notification,
        images: images.slice(0, max),
        omitted: (notification.omitted ?? 0) + images.length - max,
      };
    }
    case 'changed': {
      const { changes } = notification;
      if (changes.length <= max) return notification;
      const left = (notification.omitted ?? 0) + changes.length - max;
      return { ...notification, changes: changes.slice(0, max), omitted: left };
    }
    default:
      return rules ? { ...notification, rules } : notification;
  }
}
