// The dead man's switch, run by a timer every minute on every instance: a cluster
// whose proxy was heard from and then went quiet for SMS_SILENCE_MINUTES is texted
// SILENT, once; when its heartbeats return it is texted BACK, once, with how long it
// was silent and what the proxy's failure mode did meanwhile. "Once" across instances:
// the switch row's ETag decides who sends (switch-row.ts). The texts go through the
// same sender and flood budget as every other text; a recipient over its budget, or
// whom Twilio could not reach for now, is tried again the next minute.
import type { InvocationContext } from '@azure/functions';
import { recipientId } from '../sms/duplicate-filter.js';
import type { FloodBudget } from '../sms/flood-budget.js';
import type { SmsSender } from '../sms/sms-sender.js';
import type { TableRows } from '../sms/table-rows.js';
import { classifyTwilioFailure } from '../sms/twilio-failure.js';
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
  const reached = new Set(row.sentTo);
  const time = now();
  const outcomes = await Promise.all(
    recipients.map(async (to, recipient) => {
      const scope = { cluster: row.cluster, recipient: recipientId(to) };
      if (reached.has(scope.recipient)) return 'reached before';
      const log = { event: 'sms.switch', cluster: row.cluster, kind: row.due, recipient };
      if (!(await budget.spend(scope, time))) {
        context.warn(JSON.stringify({ ...log, outcome: 'held', retry: 'next minute' }));
        return 'later';
      }
      try {
        const { sid } = await sender.send(to, row.text, recipient, context);
        context.log(JSON.stringify({ ...log, outcome: 'sent', sender: sender.name, sid }));
        reached.add(scope.recipient);
        return 'sent';
      } catch (error) {
        const failure = classifyTwilioFailure(error);
        if (failure.retry) await budget.refund(scope, time);
        else reached.add(scope.recipient); // this number can never receive texts: as notify, given up
        const outcome = failure.retry ? 'failed' : 'undeliverable';
        context.error(JSON.stringify({ ...log, outcome, errorCode: failure.code, reason: failure.description }));
        return failure.retry ? 'later' : 'given up';
      }
    }),
  );
  const done = !outcomes.includes('later');
  const next: SwitchRow = { ...row, due: done ? '' : row.due, sentTo: done ? [] : [...reached], leaseUntil: 0 };
  return { row: next, texts: outcomes.filter((outcome) => outcome === 'sent').length };
}
