// Is this request from Twilio? Twilio signs every webhook and callback it makes
// (X-Twilio-Signature: HMAC-SHA1 of the URL it called and the sorted form fields,
// keyed with the account's auth token). The URL checked is the configured one, never
// the one the request shows: the app sits behind Azure's front end, which rewrites it.
// The account is checked too: a signature from another account's token cannot pass,
// but a request naming another account is refused before any hashing.

export interface TwilioSigning {
  readonly accountSid: string;
  /** The exact URL Twilio calls, query string (?code=) included. */
  readonly url: string;
  readonly authToken: string;
}

/** Signed with the auth token over the configured URL, and for this account. */
export async function isSignedByTwilio(
  signature: string | null,
  params: Readonly<Record<string, string>>,
  signing: TwilioSigning,
): Promise<boolean> {
  if (!signature || params.AccountSid !== signing.accountSid) return false;
  // Twilio's own check, loaded on the first request as the sender loads it on the first text.
  const { default: twilio } = await import('twilio');
  return twilio.validateRequest(signing.authToken, signature, signing.url, params);
}
