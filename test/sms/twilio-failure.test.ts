import { describe, expect, it } from 'vitest';
import { classifyTwilioFailure } from '../../functions/shells/sms/twilio-failure.js';

// Shapes as the twilio SDK throws them: RestException for API errors, axios errors for transport.
function restException(status: number, code?: number) {
  return Object.assign(new Error('The To number +15005550001 is not a valid phone number.'), { status, code });
}

describe('classifyTwilioFailure', () => {
  it.each<[string, unknown, boolean, string]>([
    ['gives up on an invalid number', restException(400, 21211), false, 'twilio-21211'],
    ['gives up on an unsubscribed recipient', restException(400, 21610), false, 'twilio-21610'],
    ['gives up on a trial account restriction', restException(400, 21608), false, 'twilio-21608'],
    ['retries a rate limit', restException(429, 20429), true, 'twilio-20429'],
    ['retries a 429 without a code', restException(429), true, 'http-429'],
    ['retries a Twilio 503', restException(503), true, 'http-503'],
    [
      'retries bad credentials so the message reaches the poison queue rather than vanishing',
      restException(401, 20003),
      true,
      'twilio-20003',
    ],
    [
      'retries a timeout',
      Object.assign(new Error('timeout of 1000ms exceeded'), { code: 'ECONNABORTED' }),
      true,
      'network-ECONNABORTED',
    ],
    [
      'retries a refused connection',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      true,
      'network-ECONNREFUSED',
    ],
    ['retries something that is not an error at all', 'boom', true, 'network-UNKNOWN'],
  ])('%s', (_sentence, error, retry, code) => {
    expect(classifyTwilioFailure(error)).toMatchObject({ retry, code });
  });

  it('never carries the SDK message, which quotes phone numbers', () => {
    expect(JSON.stringify(classifyTwilioFailure(restException(400, 21211)))).not.toContain('+15005550001');
  });
});
