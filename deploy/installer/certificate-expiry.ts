// How long a certificate has left, and what to say about it: renew within 30 days,
// since the API server refuses an expired serving certificate (or one under an expired
// CA) and, with failurePolicy Fail, then refuses every Deployment change.
import { X509Certificate } from 'node:crypto';

export const renewWithinDays = 30;
const dayMs = 86_400_000;

export interface Expiry {
  readonly expires: Date;
  /** Whole days left; negative once expired. */
  readonly days: number;
  readonly verdict: 'ok' | 'soon' | 'expired';
}

export function readExpiry(pem: string, now: Date): Expiry {
  const expires = new Date(new X509Certificate(pem).validTo);
  const days = Math.floor((expires.getTime() - now.getTime()) / dayMs);
  const verdict = days < 0 ? 'expired' : days < renewWithinDays ? 'soon' : 'ok';
  return { expires, days, verdict };
}

/** "expires 2027-01-01T00:00:00.000Z (365 days): ok", with the remedy when it is not. */
export function describeExpiry(expiry: Expiry, remedy: string): string {
  const when = `expires ${expiry.expires.toISOString()} (${expiry.days} days)`;
  if (expiry.verdict === 'expired') return `${when}: EXPIRED: ${remedy}`;
  if (expiry.verdict === 'soon') return `${when}: under ${renewWithinDays} days: ${remedy}`;
  return `${when}: ok`;
}
