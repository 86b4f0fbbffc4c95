// The daily digest: one text a day per cluster with the previous UTC day's counts
// and the rule that denied or warned most, for a glance at how the day went rather
// than news of any one event. GSM-7; one segment unless a long cluster or rule name
// needs two (each is cut to 80 characters, so it never needs more).
import type { Notification } from '../notification.js';
import { finish } from './format-sms.js';
import { safeName } from './user-text.js';

export interface DigestFacts {
  readonly cluster: string | undefined;
  /** The UTC day counted, `YYYY-MM-DD`. */
  readonly day: string;
  readonly counts: Readonly<Record<Notification['type'], number>>;
  /** Denials and warnings per rule. */
  readonly rules: Readonly<Record<string, number>>;
}

/** "[prod-aks] DAILY 2026-12-01: 3 denied, 5 warned, 12 new, 40 changed; top rule minimum-replicas (2)" */
export function formatDigest({ cluster, day, counts, rules }: DigestFacts): string {
  const where = cluster ? `[${safeName(cluster)}] ` : '';
  const tally = `${counts.blocked} denied, ${counts.flagged} warned, ${counts.created} new, ${counts.changed} changed`;
  const [top] = Object.entries(rules)
    .filter(([, count]) => count > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  const rule = top ? `; top rule ${safeName(top[0])} (${top[1]})` : '';
  return finish(`${where}DAILY ${day}: ${tally}${rule}`);
}
