// Turns a notification into the text ops read on a lock screen: what happened and
// where first, then who, then why or what changed. GSM-7 only, one segment (160)
// whenever dropping list items can get it there, never over Twilio's 1600.
import { countReplicas } from '../minimum-replicas.js';
import type { Notification } from '../notification.js';
import { countSegments, maxSmsLength, toGsm7 } from './gsm7.js';

const oneSegment = 160;

export function formatSms(notification: Notification): string {
  const { cluster, namespace, name, operation, subResource, user } = notification;
  const where = cluster ? `[${cluster}] ` : '';
  const object = `${notification.kind.toLowerCase()} ${namespace ? `${namespace}/` : ''}${name}`;
  const by = `by ${user}`;
  switch (notification.type) {
    case 'blocked': {
      const what =
        subResource === 'scale' ? `scale of ${object}` : operation === 'UPDATE' ? `update of ${object}` : object;
      return finish(`${where}BLOCKED ${what} ${by}: ${notification.reason}. ${notification.fix}`);
    }
    case 'created': {
      const images = [...new Set(notification.images.map((entry) => entry.image || '(no image)'))];
      const label = images.length === 1 ? 'image' : 'images';
      return fitList(`${where}NEW ${object} ${by}: ${countReplicas(notification.replicas)}, ${label} `, images, ', ');
    }
    case 'changed':
      return fitList(`${where}CHANGED ${object} ${by}: `, notification.changes, '; ');
    case 'flagged':
      return finish(`${where}FLAGGED ${object} ${by}: ${notification.reason}. ${notification.fix}`);
  }
}

/**
 * `prefix` followed by as many `items` as fit in one segment, the rest counted as
 * "(+N more)". When even one item does not fit, the message spans segments.
 */
function fitList(prefix: string, items: readonly string[], separator: string): string {
  const whole = toGsm7(`${prefix}${items.join(separator)}`);
  if (countSegments(whole).units <= oneSegment || items.length <= 1) return finish(whole);
  for (let shown = items.length - 1; shown >= 1; shown--) {
    const candidate = toGsm7(`${prefix}${items.slice(0, shown).join(separator)} (+${items.length - shown} more)`);
    if (countSegments(candidate).units <= oneSegment) return candidate;
  }
  return finish(`${prefix}${items[0]} (+${items.length - 1} more)`);
}

/** GSM-7 and within Twilio's limit, cut with "..." when it would not be. */
function finish(text: string): string {
  const safe = toGsm7(text);
  return safe.length <= maxSmsLength ? safe : `${safe.slice(0, maxSmsLength - 3)}...`;
}
