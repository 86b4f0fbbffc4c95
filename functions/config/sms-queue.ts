// The storage queue between the admission function and the notify function. Both
// registrations read it from here, so they cannot disagree on the name.
import { output } from '@azure/functions';

export const smsQueueConnection = 'AzureWebJobsStorage';
export const defaultSmsQueueName = 'sms-notifications';

// Azure Storage queue names: 3-63 lowercase letters, digits and single hyphens.
const queueNamePattern = /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/;

/** SMS_QUEUE_NAME, or the default; throws naming the setting when malformed. */
export function readSmsQueueName(env: Readonly<Record<string, string | undefined>>): string {
  const name = env.SMS_QUEUE_NAME?.trim() || defaultSmsQueueName;
  if (!queueNamePattern.test(name)) {
    throw new Error('invalid app settings: SMS_QUEUE_NAME must be 3-63 lowercase letters, digits and single hyphens');
  }
  return name;
}

export function smsQueueOutput(queueName: string) {
  return output.storageQueue({ queueName, connection: smsQueueConnection });
}
