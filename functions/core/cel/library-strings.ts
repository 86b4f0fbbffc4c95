// Kubernetes' strings extension (cel-go ext.Strings), where the CEL library lacks it:
// charAt, replace, lowerAscii and upperAscii that change ASCII letters only (the
// library's change every letter), and trim that removes Go's spaces (the library's trim
// is JS's, which removes U+FEFF and keeps U+0085); rewrite-ast.ts points calls at these.
// indexOf, lastIndexOf, split, substring and join come with the library. Costs are
// charged by the length scanned.
import type { Environment } from '@marcbachmann/cel-js';
import { charge } from './runtime-budget.js';

/** Characters per cost unit, as the API server charges string work (0.1 a character). */
const charactersPerUnit = 10;

export function chargeCharacters(length: number): void {
  charge(Math.ceil(length / charactersPerUnit));
}

/**
 * `text.replace(from, to, limit)` (a negative limit: all), as cel-go's strings.Replace:
 * non-overlapping matches from the left; an empty `from` matches before each character
 * and at the end. The result's length is charged before it is built, and the work is
 * linear whatever the limit: replacing 'a' in 3 MB of them by 1,000 characters stops on
 * the budget instead of building 3 GB.
 */
function replace(text: string, from: string, to: string, limit: bigint): string {
  const most = limit < 0n || limit > BigInt(text.length) ? text.length + 1 : Number(limit);
  const count = eachMatch(text, from, most, () => {});
  chargeCharacters(text.length + to.length + count * to.length);
  let result = '';
  let last = 0;
  eachMatch(text, from, most, (at) => {
    result += text.slice(last, at) + to;
    last = at + from.length;
  });
  return result + text.slice(last);
}

/** Calls `found` with the start of each match of `from` in `text`, at most `most`; gives their number. */
function eachMatch(text: string, from: string, most: number, found: (at: number) => void): number {
  let count = 0;
  for (let at = text.indexOf(from); at >= 0 && count < most; count++) {
    found(at);
    if (from === '' && at >= text.length) return count + 1;
    at = text.indexOf(from, at + Math.max(from.length, 1));
  }
  return count;
}

/** What `join` is renamed to in parsed expressions: the library's builds the string before anything is charged. */
export const chargedJoin = 'joinCharged';

/**
 * `list.join(separator)`, the library's own (every element a string, else its error),
 * charged by the length of the string it makes before making it: joining a list of
 * one 3 MiB string 90 times stops on the budget instead of building 270 MB.
 */
export function joinCharged(list: readonly unknown[], separator: string): string {
  let length = separator.length * Math.max(0, list.length - 1);
  for (const element of list) {
    if (typeof element !== 'string') throw new Error('string.join(): list must contain only strings');
    length += element.length;
  }
  chargeCharacters(length);
  return list.join(separator);
}

/** What `lowerAscii`, `upperAscii` and `trim` are renamed to in parsed expressions. */
export const asciiCasing = { lowerAscii: 'lowerAsciiOnly', upperAscii: 'upperAsciiOnly' } as const;
export const spaceTrimming = { trim: 'trimSpace' } as const;

/** Go's unicode.IsSpace, which cel-go's trim uses: not U+FEFF or U+180E, as JS's trim has them. */
const edgeSpaces =
  /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

export function registerStrings(environment: Environment): Environment {
  return environment
    .registerFunction(`string.${asciiCasing.lowerAscii}(): string`, (text: string) => {
      chargeCharacters(text.length);
      return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
    })
    .registerFunction(`string.${asciiCasing.upperAscii}(): string`, (text: string) => {
      chargeCharacters(text.length);
      return text.replace(/[a-z]+/g, (letters) => letters.toUpperCase());
    })
    .registerFunction(`string.${spaceTrimming.trim}(): string`, (text: string) => {
      chargeCharacters(text.length);
      return text.replace(edgeSpaces, '');
    })
    .registerFunction('string.charAt(int): string', (text: string, index: bigint) => {
      const characters = [...text];
      if (index < 0n || index > BigInt(characters.length)) throw new Error(`index out of range: ${index}`);
      return characters[Number(index)] ?? '';
    })
    .registerFunction('string.replace(string, string): string', (text: string, from: string, to: string) =>
      replace(text, from, to, -1n),
    )
    .registerFunction('string.replace(string, string, int): string', replace)
    .registerFunction(`list<string>.${chargedJoin}(): string`, (list: readonly unknown[]) => joinCharged(list, ''))
    .registerFunction(`list<string>.${chargedJoin}(string): string`, joinCharged);
}
