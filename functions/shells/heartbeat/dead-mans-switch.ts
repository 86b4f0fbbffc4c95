// The dead man's switch, run by a timer every minute on every instance: a cluster
// whose proxy was heard from and then went quiet for SMS_SILENCE_MINUTES is texted
// SILENT, once; when its heartbeats return it is texted BACK, once, with how long it
// was silent and what the proxy's failure mode did meanwhile. "Once" across instances:
// the switch row's ETag decides who sends (switch-row.ts). The texts go through the
// same sender and flood budget as every other text; a recipient over its budget, or
// whom Twilio could not reach for now, is tried again the next minute.
import type { InvocationContext } from '@azure/functions';
import { deliverClaimedText } from '../sms/deliver-claimed-text.js';
import type { FloodBudget } from '../sms/flood-budget.js';
import type { SmsSender } from '../sms/sms-sender.js';
import type { TableRows } from '../sms/table-rows.js';
import { listHeartbeats } from './heartbeat-rows.js';
import { nextSwitchRow, type SwitchRow, switchPartition, toSwitchEntity, toSwitchRow } from './switch-row.js';

export interface SwitchDependencies {
  readonly rows: TableRows;
  readonly sender: SmsSender;
  readonly budget: FloodBudget;
  /** OPS_PHONE_NUMBERS (or "console" with the console sink). */
  readonly recipients: readonly string[];
  readonly silenceMs: number;
  readonly now?: () => number;
}

/** One round; resolves with the number of texts sent. */
export type DeadMansSwitch = (context: InvocationContext) => Promise<number>;

export function createDeadMansSwitch(dependencies: SwitchDependencies): DeadMansSwitch {
  const { rows, silenceMs, now = Date.now } = dependencies;
  return async (context) => {
    let sent = 0;
    for (const heartbeat of await listHeartbeats(rows)) {
      try {
        const current = await rows.get(switchPartition, heartbeat.cluster);
        const next = nextSwitchRow(heartbeat, current && toSwitchRow(current), now(), silenceMs);
        if (!next) continue;
        const entity = toSwitchEntity(next);
        if (!(current ? await rows.replace(entity, current.etag) : await rows.insert(entity))) continue; // another instance has it
        const { row, texts } = await deliverSwitchText(next, dependencies, context);
        sent += texts;
        await rows.upsert(toSwitchEntity(row)); // ours while the lease lasts
      } catch (error) {
        // The next round tries again; a claim left behind is taken over when its lease ends.
        const line = { event: 'switch.state-failed', errorCode: 'STATE_UNAVAILABLE', cluster: heartbeat.cluster };
        context.error(JSON.stringify({ ...line, reason: error instanceof Error ? error.name : 'unknown' }));
      }
    }
    return sent;
  };
}

/** Sends the due text to every recipient it has not reached; the row after. */
async function deliverSwitchText(
  row: SwitchRow,
  { sender, budget, recipients, now = Date.now }: SwitchDependencies,
  context: InvocationContext,
): Promise<{ row: SwitchRow; texts: number }> {
  const claimed = { cluster: row.cluster, text: row.text, sentTo: row.sentTo, event: 'sms.switch', kind: row.due };
  const { done, sentTo, texts } = await deliverClaimedText(claimed, { sender, budget, recipients, now }, context);
  return { row: { ...row, due: done ? '' : row.due, sentTo, leaseUntil: 0 }, texts };
}
