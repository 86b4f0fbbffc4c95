// The dead man's switch's two functions, built from what notify already has: the state
// table, the sender and the flood budget. notify.ts registers them: the `heartbeat`
// route and the `deadMansSwitch` timer.
import { parseSettings } from '../../core/index.js';
import { notifySettingSpecs } from '../settings/app-settings.js';
import type { NotifySettings } from '../settings/notify-settings.js';
import { SettingsError } from '../settings/settings-error.js';
import type { FloodBudget } from '../sms/flood-budget.js';
import type { SmsSender } from '../sms/sms-sender.js';
import type { TableRows } from '../sms/table-rows.js';
import { createDeadMansSwitch, type DeadMansSwitch } from './dead-mans-switch.js';
import { createHeartbeatHandler, type HeartbeatHandler } from './heartbeat-handler.js';

export interface HeartbeatFunctions {
  readonly heartbeat: HeartbeatHandler;
  readonly deadMansSwitch: DeadMansSwitch;
}

export interface HeartbeatTools {
  readonly settings: NotifySettings;
  readonly sender: SmsSender;
  readonly rows: TableRows;
  readonly budget: FloodBudget;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now?: () => number;
}

export function createHeartbeatFunctions({
  settings,
  sender,
  rows,
  budget,
  env,
  now,
}: HeartbeatTools): HeartbeatFunctions {
  const silenceMs = loadSilenceMs(env);
  // As notify: the console sink needs no numbers; it still shows the one text that would go out.
  const recipients = settings.recipients.length > 0 || sender.name === 'twilio' ? settings.recipients : ['console'];
  const clock = now ? { now } : {};
  return {
    heartbeat: createHeartbeatHandler({ rows, silenceMs, ...clock }),
    deadMansSwitch: createDeadMansSwitch({ rows, sender, budget, recipients, silenceMs, ...clock }),
  };
}

/** SMS_SILENCE_MINUTES, in milliseconds. Throws SettingsError naming every bad notify setting. */
export function loadSilenceMs(env: Readonly<Record<string, string | undefined>>): number {
  const parsed = parseSettings(notifySettingSpecs, env);
  if ('problems' in parsed) throw new SettingsError('notify settings', parsed.problems);
  return parsed.values.SMS_SILENCE_MINUTES * 60_000;
}
