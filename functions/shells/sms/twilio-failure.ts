// Which Twilio failures are worth retrying. A text to a number that can never receive
// it is logged and given up; anything that may pass later (rate limit, Twilio 5xx,
// network, timeout, and errors we do not know) is retried by the queue, and a message
// that keeps failing lands on the poison queue instead of vanishing.
//
// Only codes and statuses are read: Twilio's messages quote phone numbers, and
// transport errors carry the request (credentials included).

/** Recipient problems no retry fixes. */
export const permanentTwilioCodes: ReadonlyMap<number, string> = new Map([
  [21211, 'invalid To number'],
  [21408, 'no permission to send to this region'],
  [21608, 'trial account: number not verified'],
  [21610, 'recipient unsubscribed (replied STOP)'],
  [21612, 'cannot route to this number'],
  [21614, 'To number is not a mobile number'],
]);

export interface DeliveryFailure {
  readonly retry: boolean;
  /** `twilio-21211`, `http-503`, `network-ECONNREFUSED`, ...: safe to log. */
  readonly code: string;
  readonly description: string;
}

export function classifyTwilioFailure(error: unknown): DeliveryFailure {
  const status = readField(error, 'status');
  const code = readField(error, 'code');
  const twilioCode = typeof code === 'number' ? code : undefined;
  if (typeof status === 'number') return classifyHttpFailure(status, twilioCode);
  const networkCode = typeof code === 'string' && /^[A-Z_]{2,40}$/.test(code) ? code : 'UNKNOWN';
  const timedOut = networkCode === 'ECONNABORTED' || networkCode === 'ETIMEDOUT';
  return {
    retry: true,
    code: `network-${networkCode}`,
    description: timedOut ? 'timed out' : 'could not reach twilio',
  };
}

/** Twilio answered: a recipient problem is given up, anything else retried. */
function classifyHttpFailure(status: number, twilioCode: number | undefined): DeliveryFailure {
  const permanent = twilioCode === undefined ? undefined : permanentTwilioCodes.get(twilioCode);
  if (permanent) return { retry: false, code: `twilio-${twilioCode}`, description: permanent };
  const code = twilioCode === undefined ? `http-${status}` : `twilio-${twilioCode}`;
  if (status === 429 || twilioCode === 20429) return { retry: true, code, description: 'rate limited' };
  if (status >= 500) return { retry: true, code, description: 'twilio unavailable' };
  return { retry: true, code, description: `twilio refused the request (http ${status})` };
}

/** A field of a thrown value, whatever was thrown. */
function readField(error: unknown, name: string): unknown {
  return typeof error === 'object' && error !== null && name in error ? Reflect.get(error, name) : undefined;
}
