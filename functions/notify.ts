// Registers the `notify` queue function: one text per recipient for each notification
// on the SMS queue. Twilio settings are checked here at start-up. When they are
// wrong, notify is not registered at all: admission keeps working, and messages wait
// on the queue until the settings are fixed instead of being used up by retries.
import { app } from '@azure/functions';
import { PolicyError } from './core/index.js';
import { loadPolicy } from './shells/load-policy.js';
import { smsQueueConnection } from './shells/queue/sms-queue.js';
import { admissionSettings, notifySettings } from './shells/settings/process-settings.js';
import { SettingsError } from './shells/settings/settings-error.js';
import { createDuplicateFilter } from './shells/sms/duplicate-filter.js';
import { createNotifyHandler, type NotifyHandler } from './shells/sms/notify-handler.js';
import { alsoAppendToFile } from './shells/sms/sms-log-file.js';
import { consoleSender } from './shells/sms/sms-sender.js';
import { createTwilioSender } from './shells/sms/twilio-sender.js';

export const notify: NotifyHandler | undefined = await createNotify();

if (notify) {
  const { smsQueueName } = admissionSettings();
  app.storageQueue('notify', { queueName: smsQueueName, connection: smsQueueConnection, handler: notify });
}

async function createNotify(): Promise<NotifyHandler | undefined> {
  try {
    const settings = notifySettings();
    const { policyFile, minReplicas } = admissionSettings();
    if (!settings.twilio) console.log('notify: no Twilio settings, so texts are written to the log (console sink)');
    const base = settings.twilio ? createTwilioSender(settings.twilio) : consoleSender;
    const sender = settings.smsLogFile ? alsoAppendToFile(base, settings.smsLogFile) : base;
    const { routes } = await loadPolicy(policyFile, minReplicas); // only the notification routes are used here
    return createNotifyHandler({
      settings,
      sender,
      routes,
      duplicates: createDuplicateFilter(settings.duplicateWindowMs),
    });
  } catch (error) {
    if (!(error instanceof SettingsError) && !(error instanceof PolicyError)) throw error;
    console.error(`notify: not started, texts wait on the queue: ${error.message}`);
    return undefined;
  }
}
