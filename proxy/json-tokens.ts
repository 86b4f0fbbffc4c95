// The tokens of JSON (RFC 8259) that json-scan.ts skips over: each function takes the
// position where a token starts and returns the position after it, or throws
// ScanFailure naming what is wrong. Nothing is decoded or allocated.

export class ScanFailure extends Error {}

const quote = 0x22;
const backslash = 0x5c;
const escapable = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]); // " \ / b f n r t

export const isSpace = (byte: number | undefined) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
const isDigit = (byte: number | undefined) => byte !== undefined && byte >= 0x30 && byte <= 0x39;
const isHex = (byte: number | undefined) =>
  isDigit(byte) || (byte !== undefined && ((byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)));

function fail(reason: string): never {
  throw new ScanFailure(reason);
}

/** `pos` is at the opening quote. */
export function endOfString(bytes: Buffer, start: number): number {
  let pos = start + 1;
  for (;;) {
    const byte = bytes[pos] ?? fail('a string is not closed');
    pos++;
    if (byte === quote) return pos;
    if (byte < 0x20) fail('a control character in a string');
    if (byte !== backslash) continue;
    const escaped = bytes[pos] ?? fail('a string is not closed');
    pos++;
    if (escapable.has(escaped)) continue;
    if (escaped !== 0x75) fail('a bad escape in a string');
    for (let end = pos + 4; pos < end; pos++) if (!isHex(bytes[pos])) fail('a bad \\u escape in a string');
  }
}

/** `pos` is at the first character of what should be a number. */
export function endOfNumber(bytes: Buffer, start: number): number {
  let pos = start;
  const digits = () => {
    const first = pos;
    while (isDigit(bytes[pos])) pos++;
    if (pos === first) fail('a malformed number or an unexpected character');
  };
  if (bytes[pos] === 0x2d) pos++; // -
  if (bytes[pos] === 0x30)
    pos++; // a leading 0 stands alone
  else digits();
  if (bytes[pos] === 0x2e) {
    pos++;
    digits();
  }
  if (bytes[pos] === 0x65 || bytes[pos] === 0x45) {
    pos++;
    if (bytes[pos] === 0x2b || bytes[pos] === 0x2d) pos++;
    digits();
  }
  return pos;
}
