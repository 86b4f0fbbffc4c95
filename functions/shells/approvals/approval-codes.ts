// One-time codes: 6 digits from the CSPRNG (crypto.randomInt, uniform), stored only as
// a salted SHA-256 (a fresh 16-byte salt per code), compared in constant time. The
// code itself exists only in the text sent and the reply received.
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

export const codePattern = /^\d{6}$/;

export interface StoredCode {
  readonly salt: string;
  readonly hash: string;
}

export function newApprovalCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

export function storeCode(code: string): StoredCode {
  const salt = randomBytes(16).toString('base64url');
  return { salt, hash: hashCode(code, salt) };
}

export function codeMatches(code: string, stored: StoredCode): boolean {
  const expected = Buffer.from(stored.hash, 'hex');
  const actual = Buffer.from(hashCode(code, stored.salt), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function hashCode(code: string, salt: string): string {
  return createHash('sha256').update(`approval-code/v1\n${salt}\n${code}`).digest('hex');
}
