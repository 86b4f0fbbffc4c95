// The admission side of the SMS pipeline: notifications become queue messages through
// the function's output binding, written by the host with the HTTP answer. Nothing
// here talks to Twilio or waits on it.
import type { StorageQueueOutput } from '@azure/functions';
import { toQueueMessage } from '../../core/index.js';
import type { NotificationSink } from '../notification-sink.js';

export function createQueueSink(queue: StorageQueueOutput): NotificationSink {
  return (notifications, context) => {
    if (notifications.length > 0) context.extraOutputs.set(queue, notifications.map(toQueueMessage));
  };
}
