// Optional entries of list and map literals (`[?x, y]`, `{?k: v}`: an entry whose value
// is an optional is left out when the optional is empty), which the library's parser
// lacks, written as a call it can parse: `optional.entriesOf([x, optional.of(y)])` and
// `optional.entriesOf({k: v})` (library-optionals.ts). Literals without such an entry
// are copied as written. Runs on text cel-source.ts has already written.
import { literalAt, startsOperand } from './cel-source.js';

const closing: Readonly<Record<string, string>> = { '[': ']', '{': '}', '(': ')' };

/** Where each top-level part of `text` ends, split at `separator` outside brackets and strings. */
function topLevelEnds(text: string, separator: string, stop: string | undefined): number[] {
  const ends: number[] = [];
  const open: string[] = [];
  let index = 0;
  while (index < text.length) {
    const character = text[index] ?? '';
    const literal = literalAt(text, index);
    if (literal) {
      index = literal.end;
      continue;
    }
    if (open.length === 0 && (character === separator || character === stop)) ends.push(index);
    if (open.length === 0 && character === stop) return ends;
    if (closing[character]) open.push(closing[character] ?? '');
    else if (character === open.at(-1)) open.pop();
    index++;
  }
  return ends;
}

function rewriteEntry(entry: string, isMap: boolean): string {
  const trimmed = entry.trimStart();
  if (trimmed.startsWith('?')) return toOptionalEntryCalls(trimmed.slice(1));
  if (!isMap) return trimmed === '' ? entry : `optional.of(${toOptionalEntryCalls(entry)})`;
  const [colon] = topLevelEnds(entry, ':', undefined);
  if (colon === undefined) return toOptionalEntryCalls(entry);
  const key = toOptionalEntryCalls(entry.slice(0, colon));
  return `${key}: optional.of(${toOptionalEntryCalls(entry.slice(colon + 1))})`;
}

/** The literal opening at `start` as a call, and where it ends, or undefined when it has no optional entry. */
function rewriteLiteral(text: string, start: number): { end: number; replacement: string } | undefined {
  const bracket = text[start] ?? '';
  const inner = text.slice(start + 1);
  const ends = topLevelEnds(inner, ',', closing[bracket]);
  const close = ends.at(-1);
  if (close === undefined || inner[close] !== closing[bracket]) return undefined;
  const entries = ends.map((end, index) => inner.slice(index === 0 ? 0 : (ends[index - 1] ?? 0) + 1, end));
  if (!entries.some((entry) => entry.trimStart().startsWith('?'))) return undefined;
  const rewritten = entries.map((entry) => rewriteEntry(entry, bracket === '{')).join(',');
  return { end: start + 1 + close + 1, replacement: `optional.entriesOf(${bracket}${rewritten}${closing[bracket]})` };
}

export function toOptionalEntryCalls(text: string): string {
  if (!text.includes('?')) return text;
  let written = '';
  let index = 0;
  while (index < text.length) {
    const character = text[index] ?? '';
    const literal = literalAt(text, index);
    const entries =
      (character === '[' || character === '{') && startsOperand(written) ? rewriteLiteral(text, index) : undefined;
    const next = literal ?? entries;
    written += next ? next.replacement : character;
    index = next ? next.end : index + 1;
  }
  return written;
}
