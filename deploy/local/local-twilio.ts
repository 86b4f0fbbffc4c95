// DEVELOPMENT ONLY: the Twilio account the local stack pretends to be, so that a
// simulated reply (npm run sms:reply) is signed the way Twilio signs one and the
// development host checks it with the very handler the function app runs. The token
// is public on purpose: nothing outside this machine's loopback accepts it.
export const localTwilio = {
  accountSid: `AC${'0'.repeat(28)}1ca1`,
  authToken: 'local-stack-auth-token-not-a-secret',
  /** The number texts come from and replies go to (Twilio's test "from" number). */
  number: '+15005550006',
  replyPath: '/api/sms-reply',
} as const;

/** The URL the development host serves replies on, which the local signatures cover. */
export function localReplyUrl(port: number): string {
  return `http://127.0.0.1:${port}${localTwilio.replyPath}`;
}
