// The tokens of JSON (RFC 8259) that json-scan.ts skips over: each function takes the
// position where a token starts and returns the position after it, or throws
// ScanFailure naming what is wrong. Nothing is decoded or allocated. This runs over
// every byte of every review, so it is written for speed: native searches where it can,
// plain index loops elsewhere, no closures, no lookups.

export class ScanFailure extends Error {}

const quote = 0x22;
const backslash = 0x5c;

export const isSpace = (byte: number) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

function fail(reason: string): never {
  throw new ScanFailure(reason);
}

/**
 * Finds where the strings of one document end. The bytes between quotes are found with
 * Buffer#indexOf (memchr), not a loop in JavaScript: a review is mostly string bytes.
 * The next backslash is remembered, so each byte is searched once per document.
 * Escapes are checked; other bytes inside a string are not (a raw control character
 * or bad UTF-8 is the function's to refuse, with 400).
 */
export class StringEnds {
  private nextBackslash = -1;

  constructor(private readonly bytes: Buffer) {}

  /** `start` is at the opening quote. */
  endOf(start: number): number {
    const { bytes } = this;
    let pos = start + 1;
    for (;;) {
      const close = bytes.indexOf(quote, pos);
      if (close < 0) fail('a string is not closed');
      if (this.nextBackslash < pos) this.nextBackslash = bytes.indexOf(backslash, pos);
      if (this.nextBackslash < 0 || this.nextBackslash > close) return close + 1;
      pos = endOfEscape(bytes, this.nextBackslash + 1);
    }
  }
}

/** `pos` is just after a backslash in a string. */
function endOfEscape(bytes: Uint8Array, pos: number): number {
  if (pos >= bytes.length) fail('a string is not closed');
  const escaped = bytes[pos] ?? 0;
  // " \ / b f n r t
  if (
    escaped === 0x22 ||
    escaped === 0x5c ||
    escaped === 0x2f ||
    escaped === 0x62 ||
    escaped === 0x66 ||
    escaped === 0x6e ||
    escaped === 0x72 ||
    escaped === 0x74
  )
    return pos + 1;
  if (escaped !== 0x75) fail('a bad escape in a string');
  if (pos + 5 > bytes.length) fail('a string is not closed');
  for (let at = pos + 1; at < pos + 5; at++) if (!isHex(bytes[at] ?? 0)) fail('a bad \\u escape in a string');
  return pos + 5;
}

function isHex(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66);
}

/** The position after the digits from `pos`; at least one digit must be there. */
function endOfDigits(bytes: Uint8Array, pos: number): number {
  let at = pos;
  while (at < bytes.length && (bytes[at] ?? 0) >= 0x30 && (bytes[at] ?? 0) <= 0x39) at++;
  if (at === pos) fail('a malformed number or an unexpected character');
  return at;
}

/** `pos` is at the first character of what should be a number. */
export function endOfNumber(bytes: Uint8Array, start: number): number {
  let pos = start;
  if (bytes[pos] === 0x2d) pos++; // -
  pos = bytes[pos] === 0x30 ? pos + 1 : endOfDigits(bytes, pos); // a leading 0 stands alone
  if (bytes[pos] === 0x2e) pos = endOfDigits(bytes, pos + 1);
  if (bytes[pos] === 0x65 || bytes[pos] === 0x45) {
    pos++;
    if (bytes[pos] === 0x2b || bytes[pos] === 0x2d) pos++;
    pos = endOfDigits(bytes, pos);
  }
  return pos;
}
