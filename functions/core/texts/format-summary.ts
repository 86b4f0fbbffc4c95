// The one text that stands for the events held back by the flood budget: how many,
// over what window, and of which kinds, so ops know something is going on without
// reading hundreds of texts. The events themselves are in the notify log.
import type { Notification } from '../notification.js';
import { finish } from './format-sms.js';
import { safeName } from './user-text.js';

export type HeldCounts = Readonly<Partial<Record<Notification['type'], number>>>;

export interface HeldSummary {
  readonly cluster: string | undefined;
  readonly windowMinutes: number;
  readonly counts: HeldCounts;
}

const order: readonly Notification['type'][] = ['blocked', 'created', 'changed', 'flagged'];
const labels: Readonly<Record<Notification['type'], string>> = {
  blocked: 'blocked',
  created: 'new',
  changed: 'changed',
  flagged: 'flagged',
};

/** "[prod-aks] 480 more events in the last 10 min: 450 blocked, 30 new. ..." */
export function formatSummary({ cluster, windowMinutes, counts }: HeldSummary): string {
  const where = cluster ? `[${safeName(cluster)}] ` : '';
  const kinds = order.flatMap((type) => {
    const count = counts[type] ?? 0;
    return count > 0 ? [`${count} ${labels[type]}`] : [];
  });
  const total = Object.values(counts).reduce((sum, count) => sum + (count ?? 0), 0);
  const events = total === 1 ? 'event' : 'events';
  return finish(
    `${where}${total} more ${events} in the last ${windowMinutes} min: ${kinds.join(', ')}. Not texted (text budget); see the notify log.`,
  );
}
