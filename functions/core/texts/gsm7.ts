// The GSM 03.38 alphabet that SMS uses by default. A message written only in it
// costs 160 septets in one segment; split, each segment carries 153 (the 6-byte
// concatenation header takes 7 septets), and an extension character (2 septets,
// escape and letter) is never split across two segments. One character outside the
// alphabet switches the whole message to UCS-2 at 70 (67 when split).

const basic =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const extension = '^{}\\[~]|€';

const basicSet = new Set(basic);
const extensionSet = new Set(extension);

/** Twilio refuses bodies longer than this many characters. */
export const maxSmsLength = 1600;
/** Septets in a single segment, and in each segment of a concatenated message. */
export const singleSegmentUnits = 160;
export const concatenatedSegmentUnits = 153;

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
    const units = characters.reduce((sum, character) => sum + septets(character), 0);
    return { encoding: 'GSM-7', units, segments: units <= singleSegmentUnits ? 1 : packSegments(characters) };
  }
  return { encoding: 'UCS-2', units: text.length, segments: text.length <= 70 ? 1 : Math.ceil(text.length / 67) };
}

function septets(character: string): number {
  return extensionSet.has(character) ? 2 : 1;
}

/** Segments of 153 septets, an extension character never split between two. */
function packSegments(characters: readonly string[]): number {
  let segments = 1;
  let used = 0;
  for (const character of characters) {
    const size = septets(character);
    if (used + size > concatenatedSegmentUnits) {
      segments += 1;
      used = 0;
    }
    used += size;
  }
  return segments;
}

/**
 * The longest start of a GSM-7 `text` that fits `maxSegments`, ending in "..." when
 * cut. Texts are made GSM-7 (toGsm7) before they are fitted.
 */
export function fitSegments(text: string, maxSegments: number): string {
  if (countSegments(text).segments <= maxSegments) return text;
  const characters = [...text];
  let end = Math.min(characters.length, maxSegments * singleSegmentUnits);
  while (end > 0 && countSegments(`${characters.slice(0, end).join('')}...`).segments > maxSegments) end -= 1;
  return `${characters.slice(0, end).join('')}...`;
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
