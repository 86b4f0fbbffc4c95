// The storage queue between the admission function and the notify function. Both
// registrations take its name (SMS_QUEUE_NAME) and connection from here.
import { output } from '@azure/functions';

export const smsQueueConnection = 'AzureWebJobsStorage';

export function smsQueueOutput(queueName: string) {
  return output.storageQueue({ queueName, connection: smsQueueConnection });
}
