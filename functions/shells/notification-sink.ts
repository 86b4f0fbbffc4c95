// Where the admission handler hands its notifications: a sink that must not block on
// delivery (the queue output binding in the function app, a list in tests).
import type { InvocationContext } from '@azure/functions';
import type { Notification } from '../core/index.js';

export type NotificationSink = (notifications: readonly Notification[], context: InvocationContext) => void;
