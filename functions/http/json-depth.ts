// Nesting depth of a JSON text, measured without parsing it. JSON.parse copes with any
// depth, but the recursive comparisons that follow (did the pod template change?) do
// not: a body of 20 KB of "[" would overflow the stack. Real Kubernetes objects nest
// a few dozen levels; the API server's own decoder stops at 10000.
export const maxJsonDepth = 512;

const openBrace = 0x7b;
const closeBrace = 0x7d;
const openBracket = 0x5b;
const closeBracket = 0x5d;
const quote = 0x22;
const backslash = 0x5c;

/** True when no array or object in `text` is nested deeper than `limit`. */
export function isJsonDepthWithin(text: string, limit = maxJsonDepth): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === backslash) index++;
      else if (code === quote) inString = false;
    } else if (code === quote) {
      inString = true;
    } else if (code === openBrace || code === openBracket) {
      if (++depth > limit) return false;
    } else if (code === closeBrace || code === closeBracket) {
      depth--;
    }
  }
  return true;
}
