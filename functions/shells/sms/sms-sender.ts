// Where texts go: Twilio in production, the log when no Twilio account is configured.
import type { InvocationContext } from '@azure/functions';

export interface SentSms {
  /** Twilio's message SID, or "console" for the log sink. */
  readonly sid: string;
}

export interface SmsSender {
  readonly name: 'twilio' | 'console';
  /** `recipientIndex` names the recipient in logs; the number itself never is. */
  send(to: string, body: string, recipientIndex: number, context: InvocationContext): Promise<SentSms>;
}

/**
 * The embedded default: writes each text to the function's log, so the project runs
 * without a Twilio account. The recipient is logged by position, not number.
 */
export const consoleSender: SmsSender = {
  name: 'console',
  async send(_to, body, recipientIndex, context) {
    context.log(JSON.stringify({ event: 'sms.console', recipient: recipientIndex, body }));
    return { sid: 'console' };
  },
};
