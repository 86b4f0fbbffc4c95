// The dead man's switch's two texts, as pure functions of what the table holds. Every
// part is ours or checked: cluster names are 1-63 of [A-Za-z0-9._-] (the heartbeat's
// schema), reasons are [a-z_] labels, the rest digits. Each fits two segments at most.
import { countSegments } from '../../core/index.js';
import type { FailureCounts } from './heartbeat-body.js';

export interface SilenceFacts {
  readonly cluster: string;
  readonly lastSeen: number;
  readonly now: number;
  readonly failureMode: 'closed' | 'open';
}

export interface RecoveryFacts {
  readonly cluster: string;
  /** The last heartbeat before the silence, and the first one after. */
  readonly lastSeen: number;
  readonly resumedAt: number;
  readonly failureMode: 'closed' | 'open';
  /** Failures the proxies reported for the silence (with the first heartbeats after it). */
  readonly failures: FailureCounts;
}

const maxReasons = 4;

export function formatSilence({ cluster, lastSeen, now, failureMode }: SilenceFacts): string {
  const minutes = Math.floor((now - lastSeen) / 60_000);
  const deploys =
    failureMode === 'closed'
      ? 'Deploys are being denied (fails closed).'
      : 'Deploys are admitted unchecked (fails open), or denied if it is down.';
  return `[${cluster}] SILENT: no heartbeat from the admission proxy for ${minutes} min (last ${clock(lastSeen)} UTC). ${deploys}`;
}

export function formatRecovery({ cluster, lastSeen, resumedAt, failureMode, failures }: RecoveryFacts): string {
  const minutes = Math.round((resumedAt - lastSeen) / 60_000);
  const back = `[${cluster}] BACK: admission proxy heard again after ${minutes} min (${clock(lastSeen)}-${clock(resumedAt)} UTC).`;
  const reasons = Object.entries(failures).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  const total = reasons.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return `${back} It answered no review itself meanwhile.`;
  const did = `${failureMode === 'closed' ? 'denied' : 'admitted'} ${total} review${total === 1 ? '' : 's'}${failureMode === 'closed' ? '' : ' unchecked'}`;
  // As many reasons as fit two segments, most frequent first; the rest counted.
  for (let shown = Math.min(reasons.length, maxReasons); ; shown--) {
    const listed = reasons.slice(0, shown).map(([reason, count]) => `${count} ${reason.replaceAll('_', ' ')}`);
    const more = reasons.length > shown ? ` (+${reasons.length - shown} more)` : '';
    const text = `${back} Meanwhile it ${did}: ${listed.join(', ')}${more}.`;
    if (shown === 0 || countSegments(text).segments <= 2) return text;
  }
}

/** 10:42, in UTC. */
function clock(time: number): string {
  return new Date(time).toISOString().slice(11, 16);
}
