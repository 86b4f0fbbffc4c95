// CEL syntax the library's lexer lacks, written in syntax it has before it parses
// (kernel-environment.ts): the lexer is private to the library and has no hook.
// - raw bytes (`br'\d'`): a bytes literal of each byte escaped (`b"\x5c\x64"`);
// - a non-ASCII character in a bytes literal is its UTF-8 bytes (`b'ÿ'` is `b'\xc3\xbf'`;
//   the library took the character's code as one byte);
// - a double written from its point (`.99`) gets its zero (`0.99`);
// - a quoted field name (``x.`content-type` ``) becomes a placeholder name that
//   kernel-environment.ts puts back once parsed;
// - optional entries of list and map literals (`[?x]`, `{?k: v}`): cel-source-entries.ts.
// Anything else is copied as written, so other expressions parse exactly as before.
export interface LibrarySource {
  readonly text: string;
  /** Placeholder field names and the quoted names they stand for. */
  readonly quotedFields: ReadonlyMap<string, string>;
}

const identifierCharacter = /[A-Za-z0-9_]/;
const nonAscii = /[\u0080-\uffff]+/g;
/** Characters after which `.5` starts a number, not a field selection. */
const beforeOperand = new Set([
  '',
  '(',
  '[',
  '{',
  ',',
  ':',
  '?',
  '+',
  '-',
  '*',
  '/',
  '%',
  '<',
  '>',
  '=',
  '!',
  '&',
  '|',
]);

function hex(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += `\\x${byte.toString(16).padStart(2, '0')}`;
  return text;
}

/** The literal starting at `start` (its prefix letters included), or undefined when none does. */
export function literalAt(source: string, start: number): { end: number; replacement: string } | undefined {
  if (!/['"rRbB]/.test(source[start] ?? '')) return undefined;
  const prefix = /^[rRbB]{0,2}(?='|")/.exec(source.slice(start, start + 3))?.[0];
  if (prefix === undefined || (prefix !== '' && identifierCharacter.test(source[start - 1] ?? ''))) return undefined;
  const raw = /[rR]/.test(prefix);
  const bytes = /[bB]/.test(prefix);
  const open = start + prefix.length;
  const quote = source.startsWith(source[open]?.repeat(3) ?? '', open) ? source.slice(open, open + 3) : source[open];
  if (quote === undefined) return undefined;
  let index = open + quote.length;
  while (index < source.length && !source.startsWith(quote, index)) index += !raw && source[index] === '\\' ? 2 : 1;
  const end = Math.min(index + quote.length, source.length);
  const body = source.slice(open + quote.length, index);
  if (bytes && raw) return { end, replacement: `b"${hex(new TextEncoder().encode(body))}"` };
  if (bytes && /[\u0080-\uffff]/.test(body)) {
    const escaped = body.replace(nonAscii, (text) => hex(new TextEncoder().encode(text)));
    return { end, replacement: `${prefix}${quote}${escaped}${quote}` };
  }
  return { end, replacement: source.slice(start, end) };
}

function previousCharacter(text: string): string {
  let index = text.length - 1;
  while (index >= 0 && /\s/.test(text[index] ?? '')) index--;
  return text[index] ?? '';
}

/** Whether what follows `written` is a field name (after `.` or `.?`). */
function selectsField(written: string): boolean {
  const previous = previousCharacter(written);
  return (
    previous === '.' || (previous === '?' && previousCharacter(written.slice(0, written.lastIndexOf('?'))) === '.')
  );
}

/** Whether what follows `written` starts an operand (a literal), not a selection or an index. */
export function startsOperand(written: string): boolean {
  return beforeOperand.has(previousCharacter(written));
}

export function toLibrarySyntax(source: string): LibrarySource {
  const quotedFields = new Map<string, string>();
  let text = '';
  let index = 0;
  while (index < source.length) {
    const character = source[index] ?? '';
    const literal = literalAt(source, index);
    if (literal) {
      text += literal.replacement;
      index = literal.end;
    } else if (character === '/' && source[index + 1] === '/') {
      const end = source.indexOf('\n', index);
      text += source.slice(index, end < 0 ? source.length : end);
      index = end < 0 ? source.length : end;
    } else if (character === '`' && selectsField(text) && source.indexOf('`', index + 1) > index) {
      const end = source.indexOf('`', index + 1);
      const placeholder = `__quotedField${quotedFields.size}__`;
      quotedFields.set(placeholder, source.slice(index + 1, end));
      text += placeholder;
      index = end + 1;
    } else {
      const startsNumber = character === '.' && /[0-9]/.test(source[index + 1] ?? '');
      text += startsNumber && startsOperand(text) ? '0.' : character;
      index++;
    }
  }
  return { text, quotedFields };
}
