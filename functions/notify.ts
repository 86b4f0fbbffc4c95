// Registers the `notify` queue function: one text per recipient for each notification
// on the SMS queue, within the flood budget, and the `notifySummaries` timer that
// sends the summary of held events once a budget window has ended; with
// SMS_STATUS_CALLBACK_URL, the `sms-status` HTTP function takes Twilio's delivery
// receipts (undelivered texts go to the route's fallback numbers), and, for routes
// with `digest: true`, the `dailyDigest` timer; with SMS_REPLY_URL, the `sms-reply`
// HTTP function takes approvers' replies (approve by reply). Settings are
// checked here at start-up. When they are wrong, notify is not registered at all:
// admission keeps working, and messages wait on the queue until they are fixed.
import { app } from '@azure/functions';
import { type NotificationRoute, PolicyError } from './core/index.js';
import { connectApprovalTable } from './shells/approvals/approval-table.js';
import { createReplyHandler, type ReplyHandler } from './shells/approvals/reply-handler.js';
import { otherApproversIn } from './shells/approvals/route-approvers.js';
import { createHeartbeatFunctions, type HeartbeatFunctions } from './shells/heartbeat/heartbeat-functions.js';
import { loadPolicy } from './shells/load-policy.js';
import { smsQueueConnection } from './shells/queue/sms-queue.js';
import { loadFloodSettings, type NotifySettings, type TwilioSenderId } from './shells/settings/notify-settings.js';
import { admissionSettings, notifySettings } from './shells/settings/process-settings.js';
import { SettingsError } from './shells/settings/settings-error.js';
import { createDailyDigest, type DailyDigest, digestRecipients } from './shells/sms/daily-digest.js';
import { createDigestCounter } from './shells/sms/daily-digest-counts.js';
import { createDeliveryReceipts } from './shells/sms/delivery-receipts.js';
import { createDuplicateFilter } from './shells/sms/duplicate-filter.js';
import { createMemoryBudget } from './shells/sms/flood-budget.js';
import { createNotifyHandler, type NotifyHandler, type ReceiptDependencies } from './shells/sms/notify-handler.js';
import { alsoAppendToFile } from './shells/sms/sms-log-file.js';
import { consoleSender, type SmsSender } from './shells/sms/sms-sender.js';
import type { TableRows } from './shells/sms/table-rows.js';
import { connectStateTable, createTableBudget, createTableDuplicateFilter } from './shells/sms/table-state.js';
import { createTwilioSender } from './shells/sms/twilio-sender.js';
import type { TwilioSigning } from './shells/sms/twilio-signature.js';

// The dead man's switch (heartbeat route and timer) shares notify's table, sender and
// budget; it needs the shared table, so it runs only with AzureWebJobsStorage.
let heartbeatFunctions: HeartbeatFunctions | undefined;
let digestTimer: DailyDigest | undefined;
let replyTools: { rows: TableRows; sender: SmsSender; routes: readonly NotificationRoute[]; ttlMs: number } | undefined;
export const notify: NotifyHandler | undefined = await createNotify();
export const heartbeat = heartbeatFunctions?.heartbeat;
export const deadMansSwitch = heartbeatFunctions?.deadMansSwitch;
export const dailyDigest = digestTimer;
export const smsReply = smsReplyFrom(notifySettingsOrUndefined());
if (heartbeatFunctions) {
  const { heartbeat: handler, deadMansSwitch } = heartbeatFunctions;
  app.http('heartbeat', { methods: ['POST'], authLevel: 'function', route: 'heartbeat', handler });
  // Every minute, at second 30: a cluster gone silent is texted once, and once when it is back.
  app.timer('deadMansSwitch', {
    schedule: '30 * * * * *',
    handler: async (_timer, context) => void (await deadMansSwitch(context)),
  });
}

if (notify) {
  const { smsQueueName } = admissionSettings();
  app.storageQueue('notify', { queueName: smsQueueName, connection: smsQueueConnection, handler: notify });
  // Every minute: summaries whose window ended while no new event came in, and old rows.
  app.timer('notifySummaries', { schedule: '0 * * * * *', handler: (_timer, context) => notify.onTimer(context) });
  // Twilio's delivery receipts (SMS_STATUS_CALLBACK_URL); callers prove themselves with Twilio's signature.
  if (notify.onStatus) app.http('sms-status', { methods: ['POST'], authLevel: 'function', handler: notify.onStatus });
}
// Approvers' replies (SMS_REPLY_URL). Function level, ?code= in the URL Twilio calls: the host turns away
// callers without the key before any body is read; Twilio's signature is checked on top of it.
if (smsReply) app.http('sms-reply', { methods: ['POST'], authLevel: 'function', handler: smsReply });
if (dailyDigest) {
  // The previous UTC day's counts, at 07:00 UTC; the runs until 07:50 finish recipients held or not reached.
  app.timer('dailyDigest', {
    schedule: '0 */10 7 * * *',
    handler: async (_timer, context) => void (await dailyDigest(context)),
  });
}

async function createNotify(): Promise<NotifyHandler | undefined> {
  try {
    const settings = notifySettings();
    const flood = loadFloodSettings(process.env);
    const { policyFile, minReplicas } = admissionSettings();
    if (!settings.twilio) console.log('notify: no Twilio settings, so texts are written to the log (console sink)');
    // Receipts need the shared table (any instance may get the callback): without it, none are asked for.
    const twilio =
      settings.twilio && !flood.storage ? { ...settings.twilio, statusCallback: undefined } : settings.twilio;
    const base = twilio ? createTwilioSender(twilio) : consoleSender;
    const sender = settings.smsLogFile ? alsoAppendToFile(base, settings.smsLogFile) : base;
    const { routes } = await loadPolicy(policyFile, minReplicas); // only the notification routes are used here
    if (!flood.storage) {
      console.log('notify: no AzureWebJobsStorage, so duplicates and the text budget are kept per process');
      console.log("notify: no AzureWebJobsStorage, so no dead man's switch (no heartbeat route)");
      if (digestRecipients(routes).length > 0) console.log('notify: no AzureWebJobsStorage, so no daily digest');
      const duplicates = createDuplicateFilter(settings.duplicateWindowMs);
      return createNotifyHandler({ settings, sender, routes, duplicates, budget: createMemoryBudget(flood) });
    }
    const rows = connectStateTable(flood.storage);
    const approvals = { rows: connectApprovalTable(flood.storage), ttlMs: settings.approvalTtlMs };
    replyTools = { rows: approvals.rows, sender, routes, ttlMs: approvals.ttlMs };
    const duplicates = createTableDuplicateFilter(rows, settings.duplicateWindowMs);
    const receipts = receiptsFor(settings, rows);
    const switchTools = { settings, sender, rows, budget: createTableBudget(rows, flood), env: process.env };
    heartbeatFunctions = createHeartbeatFunctions(switchTools);
    // The daily digest counts only when some route asks for it: no table writes otherwise.
    const digest = digestRecipients(routes).length > 0;
    if (digest) digestTimer = createDailyDigest({ ...switchTools, routes });
    return createNotifyHandler({
      settings,
      sender,
      routes,
      duplicates,
      budget: createTableBudget(rows, flood),
      receipts,
      approvals,
      ...(digest ? { countForDigest: createDigestCounter(rows) } : {}),
    });
  } catch (error) {
    if (!(error instanceof SettingsError) && !(error instanceof PolicyError)) throw error;
    console.error(`notify: not started, texts wait on the queue: ${error.message}`);
    return undefined;
  }
}

/** Delivery receipts need the callback URL, and the shared table: any instance may get the callback. */
function receiptsFor(settings: NotifySettings, rows: TableRows): ReceiptDependencies | undefined {
  const callback = settings.twilio?.statusCallback;
  if (!callback || !settings.twilio) return undefined;
  const store = createDeliveryReceipts(rows, settings.undeliverableResetAt);
  return { store, accountSid: settings.twilio.credentials.accountSid, callback };
}

/**
 * The sms-reply handler for a Twilio account (signing) and the number or service replies
 * arrive at; undefined unless notify started with the shared table. The function app
 * calls it with SMS_REPLY_URL's settings; the development host with the local stack's.
 */
export function smsReplyWith(signing: TwilioSigning, receiver: TwilioSenderId): ReplyHandler | undefined {
  if (!replyTools) return undefined;
  const { routes, ...tools } = replyTools;
  return createReplyHandler({ ...tools, signing, receiver, otherApprovers: otherApproversIn(routes) });
}

function smsReplyFrom(settings: NotifySettings | undefined): ReplyHandler | undefined {
  const twilio = settings?.twilio;
  if (!twilio?.reply) return undefined;
  if (!replyTools) console.log('notify: no AzureWebJobsStorage, so no sms-reply (approvals need the shared table)');
  return smsReplyWith({ accountSid: twilio.credentials.accountSid, ...twilio.reply }, twilio.sender);
}

function notifySettingsOrUndefined(): NotifySettings | undefined {
  try {
    return notifySettings();
  } catch {
    return undefined; // createNotify has reported it: notify is not running
  }
}
