// Registers the `notify` queue function: one text per recipient for each notification
// on the SMS queue. Twilio settings are checked here at start-up. When they are
// wrong, notify is not registered at all: admission keeps working, and messages wait
// on the queue until the settings are fixed instead of being used up by retries.
import { app } from '@azure/functions';
import { loadNotifySettings, NotifySettingsError } from './config/notify-settings.js';
import { loadPolicy, PolicyError } from './policy/load-policy.js';
import { readSmsQueueName, smsQueueConnection } from './config/sms-queue.js';
import { createDuplicateFilter } from './sms/duplicate-filter.js';
import { createNotifyHandler, type NotifyHandler } from './sms/notify-handler.js';
import { alsoAppendToFile } from './sms/sms-log-file.js';
import { consoleSender } from './sms/sms-sender.js';
import { createTwilioSender } from './sms/twilio-sender.js';

export const notify: NotifyHandler | undefined = await createNotify(process.env);

if (notify) {
  app.storageQueue('notify', { queueName: readSmsQueueName(process.env), connection: smsQueueConnection, handler: notify });
}

async function createNotify(env: NodeJS.ProcessEnv): Promise<NotifyHandler | undefined> {
  try {
    const settings = loadNotifySettings(env);
    if (!settings.twilio) console.log('notify: no Twilio settings, so texts are written to the log (console sink)');
    const base = settings.twilio ? createTwilioSender(settings.twilio) : consoleSender;
    const sender = settings.smsLogFile ? alsoAppendToFile(base, settings.smsLogFile) : base;
    const { routes } = await loadPolicy(env, 3); // only the notification routes are used here
    return createNotifyHandler({ settings, sender, routes, duplicates: createDuplicateFilter(settings.duplicateWindowMs) });
  } catch (error) {
    if (!(error instanceof NotifySettingsError) && !(error instanceof PolicyError)) throw error;
    console.error(`notify: not started, texts wait on the queue: ${error.message}`);
    return undefined;
  }
}
