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

function replace(text: string, from: string, to: string, limit: bigint): string {
  chargeCharacters(text.length + to.length);
  if (limit < 0n) return text.replaceAll(from, to);
  let result = text;
  let searchFrom = 0;
  for (let done = 0n; done < limit; done++) {
    const at = result.indexOf(from, searchFrom);
    if (at < 0) break;
    result = result.slice(0, at) + to + result.slice(at + from.length);
    searchFrom = at + to.length;
  }
  return result;
}

/** What `lowerAscii`, `upperAscii` and `trim` are renamed to in parsed expressions. */
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
