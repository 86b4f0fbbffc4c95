// Regular expressions on a linear-time engine (re2js, RE2's semantics, as CEL specifies):
// `matches`, and Kubernetes' `find` and `findAll`. A pattern such as '^(a+)+$' costs
// the same as any other: time grows with the text, never exponentially. Compiled
// patterns are kept (up to 256), so a rule's pattern is compiled once.
import type { Environment } from '@marcbachmann/cel-js';
import { RE2JS } from 're2js';
import { chargeCharacters } from './library-strings.js';

/** What `matches` is renamed to in parsed expressions (the library's own uses JS RegExp). */
export const linearMatches = 'matchesLinearTime';

const compiled = new Map<string, RE2JS>();
const maxCompiled = 256;

function compile(pattern: string): RE2JS {
  const known = compiled.get(pattern);
  if (known) return known;
  chargeCharacters(pattern.length * 10);
  const regex = RE2JS.compile(pattern);
  if (compiled.size >= maxCompiled) compiled.clear();
  compiled.set(pattern, regex);
  return regex;
}

function findAll(text: string, pattern: string, limit: bigint): string[] {
  chargeCharacters(text.length);
  const matcher = compile(pattern).matcher(text);
  const found: string[] = [];
  while ((limit < 0n || BigInt(found.length) < limit) && matcher.find()) found.push(matcher.group() ?? '');
  return found;
}

/** `text.matches(pattern)`, charged by the text's length (and the pattern's, on its first use). */
export function matchesLinearly(text: string, pattern: string): boolean {
  chargeCharacters(text.length);
  return compile(pattern).test(text);
}

export function registerRegex(environment: Environment): Environment {
  return environment
    .registerFunction(`string.${linearMatches}(string): bool`, matchesLinearly)
    .registerFunction(
      'string.find(string): string',
      (text: string, pattern: string) => findAll(text, pattern, 1n)[0] ?? '',
    )
    .registerFunction('string.findAll(string): list<string>', (text: string, pattern: string) =>
      findAll(text, pattern, -1n),
    )
    .registerFunction('string.findAll(string, int): list<string>', findAll);
}
