// The GSM 03.38 alphabet that SMS uses by default. A message written only in it
// costs 160 characters a segment (153 when split); one character outside it switches
// the whole message to UCS-2 at 70 (67). Extension characters count double.

const basic =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const extension = '^{}\\[~]|€';

const basicSet = new Set(basic);
const extensionSet = new Set(extension);

/** Twilio refuses bodies longer than this many characters. */
export const maxSmsLength = 1600;

export interface SegmentCount {
  readonly encoding: 'GSM-7' | 'UCS-2';
  /** Septets for GSM-7 (extension characters count 2), UTF-16 code units for UCS-2. */
  readonly units: number;
  readonly segments: number;
}

function isGsm7(character: string): boolean {
  return basicSet.has(character) || extensionSet.has(character);
}

/** How many SMS segments `text` costs, and in which encoding. */
export function countSegments(text: string): SegmentCount {
  const characters = [...text];
  if (characters.every(isGsm7)) {
    const units = characters.reduce((sum, character) => sum + (extensionSet.has(character) ? 2 : 1), 0);
    return { encoding: 'GSM-7', units, segments: units <= 160 ? 1 : Math.ceil(units / 153) };
  }
  return { encoding: 'UCS-2', units: text.length, segments: text.length <= 70 ? 1 : Math.ceil(text.length / 67) };
}

/**
 * Rewrites text into GSM-7 so one foreign character cannot halve a message's
 * capacity: accents are dropped where that yields a GSM-7 letter (í -> i), anything
 * else (emoji, CJK, control characters) becomes "?".
 */
export function toGsm7(text: string): string {
  let result = '';
  for (const character of text) {
    if (isGsm7(character) && character !== '\n' && character !== '\r') {
      result += character;
      continue;
    }
    const stripped = character.normalize('NFKD').replace(/\p{M}/gu, '');
    result += stripped.length > 0 && [...stripped].every(isGsm7) && !/[\n\r]/.test(stripped) ? stripped : '?';
  }
  return result;
}
