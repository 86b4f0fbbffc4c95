// Turns a notification into the text ops read on a lock screen: what happened and
// where first, then who, then why or what changed. GSM-7 only, one segment (160
// septets) whenever dropping list items can get it there, never over two (2 x 153
// septets: a split message carries a concatenation header in each part). Strings
// the cluster's users chose are made safe first (user-text.ts).
import { countReplicas } from '../minimum-replicas.js';
import type { Notification } from '../notification.js';
import { countSegments, fitSegments, toGsm7 } from './gsm7.js';
import { quotedMessage, quoteValue, safeMessage, safeName, safeUser } from './user-text.js';

/** Every text fits this many segments. */
export const maxSegments = 2;

export function formatSms(notification: Notification): string {
  const { cluster, namespace, operation, subResource } = notification;
  const where = cluster ? `[${safeName(cluster)}] ` : '';
  const name = safeName(notification.name);
  const object = `${notification.kind.toLowerCase()} ${namespace ? `${safeName(namespace)}/` : ''}${name}`;
  const by = `by ${safeUser(notification.user)}`;
  switch (notification.type) {
    case 'blocked': {
      const what =
        subResource === 'scale' ? `scale of ${object}` : operation === 'UPDATE' ? `update of ${object}` : object;
      return finish(`${where}BLOCKED ${what} ${by}: ${explain(notification)}`);
    }
    case 'created': {
      const images = [...new Set(notification.images.map((entry) => entry.image))].map((image) =>
        image ? quoteValue(image) : '(no image)',
      );
      const label = images.length === 1 ? 'image' : 'images';
      const prefix = `${where}NEW ${object} ${by}: ${countReplicas(notification.replicas)}, ${label} `;
      return fitList(prefix, images, ', ', notification.omitted ?? 0);
    }
    case 'changed': {
      const changes = notification.changes.map(safeMessage);
      return fitList(`${where}CHANGED ${object} ${by}: `, changes, '; ', notification.omitted ?? 0);
    }
    case 'flagged':
      return finish(`${where}FLAGGED ${object} ${by}: ${explain(notification)}`);
  }
}

/**
 * `rule name: "message". fix`: which rule fired, its message quoted (a CEL rule may
 * build it from the object, so it is shown as the rule's words, not ours), then the
 * fix from the policy file. Messages of older releases carry no rule names.
 */
function explain(notification: { reason: string; fix: string; rules?: readonly string[] | undefined }): string {
  const rules = notification.rules ?? [];
  if (rules.length === 0) return `${safeMessage(notification.reason)}. ${notification.fix}`;
  const label = rules.length === 1 ? 'rule' : 'rules';
  return `${label} ${rules.map(safeName).join(', ')}: "${quotedMessage(notification.reason)}". ${notification.fix}`;
}

/**
 * `prefix` followed by as many `items` as fit in one segment, the rest (and
 * `omitted`, left out before queueing) counted as "(+N more)". When even one item
 * does not fit, the message spans two segments.
 */
function fitList(prefix: string, items: readonly string[], separator: string, omitted: number): string {
  const more = (shown: number) => {
    const left = items.length - shown + omitted;
    return left > 0 ? ` (+${left} more)` : '';
  };
  const whole = toGsm7(`${prefix}${items.join(separator)}${more(items.length)}`);
  if (countSegments(whole).segments === 1 || items.length <= 1) return finish(whole);
  for (let shown = items.length - 1; shown >= 1; shown--) {
    const candidate = toGsm7(`${prefix}${items.slice(0, shown).join(separator)}${more(shown)}`);
    if (countSegments(candidate).segments === 1) return candidate;
  }
  return finish(`${prefix}${items[0]}${more(1)}`);
}

/** GSM-7 and within two segments, cut with "..." when it would not be. */
export function finish(text: string): string {
  return fitSegments(toGsm7(text), maxSegments);
}
