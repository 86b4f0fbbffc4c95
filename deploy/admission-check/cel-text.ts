// CEL written as text for export vap: literals (strings, the policy's name patterns as
// RE2 regexes, params as a literal), and the one rewrite export needs, renaming free
// identifiers (`params` -> `variables.params`, `object` -> the pod view of a workload)
// outside string literals and field selections. The CLI may not reach the kernel's CEL
// parser (only its entry), so this is a small tokenizer, not an AST printer.

/** A CEL string literal: single-quoted, backslashes and quotes escaped. */
export function celString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

export function celStringList(texts: readonly string[]): string {
  return `[${texts.map(celString).join(', ')}]`;
}

/** A policy pattern (`prod-*`: `*` matches any run of characters) as an anchored RE2 regex. */
export function patternRegex(patterns: readonly string[]): string {
  const alternatives = patterns.map((pattern) =>
    pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*'),
  );
  return `^(${alternatives.join('|')})$`;
}

/** `text` matched against patterns: `==` or `in` for exact names, a regex when one has `*`. */
export function celMatchesAny(text: string, patterns: readonly string[]): string {
  if (patterns.some((pattern) => pattern.includes('*'))) return `${text}.matches(${celString(patternRegex(patterns))})`;
  const [only] = patterns;
  return patterns.length === 1 && only !== undefined
    ? `${text} == ${celString(only)}`
    : `${text} in ${celStringList(patterns)}`;
}

/**
 * A JSON value as a CEL literal. Every element and map value is wrapped in dyn():
 * Kubernetes (and the engine) require list and map literals of one type, and params
 * mix them. Whole numbers are ints, as the engine reads numbers in objects.
 */
export function jsonToCel(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return celString(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : floatLiteral(value);
  if (Array.isArray(value)) return `[${value.map((item) => `dyn(${jsonToCel(item)})`).join(', ')}]`;
  const entries = Object.entries(value).map(([key, item]) => `${celString(key)}: dyn(${jsonToCel(item)})`);
  return `{${entries.join(', ')}}`;
}

function floatLiteral(value: number): string {
  const text = String(value);
  return /[.eE]/.test(text) ? text : `${text}.0`;
}

const identifierStart = /[A-Za-z_]/;
const identifierPart = /[A-Za-z0-9_]/;

/**
 * Replaces free identifiers named in `replacements` (not a field after `.` or `.?`,
 * not inside a string literal, raw or triple-quoted). A comprehension variable that
 * shadows one of them (`items.all(object, ...)`) would be renamed too: rare enough,
 * and the exported expression is compiled by the test suite.
 */
export function renameIdentifiers(expression: string, replacements: Readonly<Record<string, string>>): string {
  let output = '';
  let index = 0;
  while (index < expression.length) {
    const char = expression.charAt(index);
    if (char === '"' || char === "'") {
      const end = endOfString(expression, index);
      output += expression.slice(index, end);
      index = end;
    } else if (identifierStart.test(char) && !identifierPart.test(expression.charAt(index - 1))) {
      let end = index + 1;
      while (end < expression.length && identifierPart.test(expression.charAt(end))) end += 1;
      const word = expression.slice(index, end);
      const quote = expression.charAt(end);
      const stringPrefix = /^[rRbB]{1,2}$/.test(word) && (quote === '"' || quote === "'");
      const replacement = Object.hasOwn(replacements, word) ? replacements[word] : undefined;
      output += replacement !== undefined && !isSelected(expression, index) && !stringPrefix ? replacement : word;
      index = end;
    } else {
      output += char;
      index += 1;
    }
  }
  return output;
}

/** Whether the identifier at `index` follows `.` or `.?` (a field, not a variable). */
function isSelected(expression: string, index: number): boolean {
  const before = expression.slice(0, index).trimEnd();
  return before.endsWith('.') || before.endsWith('.?');
}

/** The index just past the string literal starting at `start` (a quote). */
function endOfString(expression: string, start: number): number {
  const quote = expression.charAt(start);
  const raw = /[rR]$/.test(expression.slice(Math.max(0, start - 2), start));
  const delimiter = expression.startsWith(quote.repeat(3), start) ? quote.repeat(3) : quote;
  let index = start + delimiter.length;
  while (index < expression.length) {
    if (!raw && expression.charAt(index) === '\\') index += 2;
    else if (expression.startsWith(delimiter, index)) return index + delimiter.length;
    else index += 1;
  }
  return expression.length;
}
