// A small evaluator for the Bicep expressions that compute resource names, so that a test
// can check the names without a Bicep compiler. It reads string literals with ${}
// interpolation, integers, identifiers, member access (`resourceGroup().id`) and the
// functions in `functions` below. Anything else throws: a name expression it cannot read
// fails the test instead of passing unchecked.
import { createHash } from 'node:crypto';

export type BicepValue = string | number | { readonly [key: string]: BicepValue };

/** The value of a parameter or variable, by name; throws for a name it does not know. */
export type Lookup = (name: string) => BicepValue;

export const standInResourceGroupId = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-admission';

const base32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** Deterministic stand-in for uniqueString: 13 lowercase base-32 characters, like the real one. */
export function standInUniqueString(...parts: readonly string[]): string {
  const digest = createHash('sha256').update(parts.join('\u0000')).digest();
  return [...digest.subarray(0, 13)].map((byte) => base32.charAt(byte % 32)).join('');
}

function text(value: BicepValue | undefined, what: string): string {
  if (typeof value === 'string') return value;
  throw new Error(`${what}: expected a string`);
}

function integer(value: BicepValue | undefined, what: string): number {
  if (typeof value === 'number') return value;
  throw new Error(`${what}: expected an integer`);
}

// Behaviour as documented for Bicep's string functions: replace replaces every
// occurrence; take clamps to the string; substring fails outside the string, as the
// deployment would; trim removes leading and trailing white space.
const functions = new Map<string, (args: readonly BicepValue[]) => BicepValue>([
  ['toLower', ([value]) => text(value, 'toLower').toLowerCase()],
  ['replace', ([value, from, to]) => text(value, 'replace').split(text(from, 'replace')).join(text(to, 'replace'))],
  ['take', ([value, count]) => text(value, 'take').slice(0, Math.max(0, integer(count, 'take')))],
  ['substring', ([value, start, length]) => substring(text(value, 'substring'), start, length)],
  ['length', ([value]) => text(value, 'length').length],
  ['trim', ([value]) => text(value, 'trim').trim()],
  ['concat', (args) => args.map((arg) => text(arg, 'concat')).join('')],
  ['uniqueString', (args) => standInUniqueString(...args.map((arg) => text(arg, 'uniqueString')))],
  ['resourceGroup', () => ({ id: standInResourceGroupId })],
]);

function substring(value: string, startArg: BicepValue | undefined, lengthArg: BicepValue | undefined): string {
  const start = integer(startArg, 'substring');
  const length = lengthArg === undefined ? value.length - start : integer(lengthArg, 'substring');
  if (start < 0 || length < 0 || start + length > value.length) {
    throw new Error(`substring: start ${start} and length ${length} fall outside a string of ${value.length}`);
  }
  return value.slice(start, start + length);
}

const escapes = new Map([
  ['\\', '\\'],
  ["'", "'"],
  ['$', '$'],
  ['n', '\n'],
  ['r', '\r'],
  ['t', '\t'],
]);

class Parser {
  private position = 0;

  constructor(
    private readonly source: string,
    private readonly lookup: Lookup,
  ) {}

  expression(): BicepValue {
    let value = this.primary();
    while (this.accept('.')) {
      const key = this.identifier();
      const property = typeof value === 'object' && Object.hasOwn(value, key) ? value[key] : undefined;
      if (property === undefined) throw this.error(`no property ${key}`);
      value = property;
    }
    return value;
  }

  /** Only white space or a line comment may follow the expression. */
  end(): void {
    this.skipSpace();
    const rest = this.source.slice(this.position);
    if (rest !== '' && !rest.startsWith('//')) throw this.error('unexpected text');
  }

  private primary(): BicepValue {
    this.skipSpace();
    const char = this.source.charAt(this.position);
    if (char === "'") return this.string();
    if (this.accept('(')) return this.closedBy(')', this.expression());
    const digits = /^\d+/.exec(this.source.slice(this.position))?.[0];
    if (digits !== undefined) {
      this.position += digits.length;
      return Number(digits);
    }
    const name = this.identifier();
    if (!this.accept('(')) return this.lookup(name);
    const call = functions.get(name);
    if (call === undefined) throw this.error(`unsupported function ${name}`);
    return call(this.arguments());
  }

  private arguments(): BicepValue[] {
    const args: BicepValue[] = [];
    if (this.accept(')')) return args;
    do args.push(this.expression());
    while (this.accept(','));
    return this.closedBy(')', args);
  }

  private string(): string {
    let value = '';
    this.position += 1; // the opening quote
    for (;;) {
      const char = this.source.charAt(this.position);
      this.position += 1;
      if (char === '') throw this.error('unterminated string');
      if (char === "'") return value;
      if (char === '$' && this.source.charAt(this.position) === '{') value += this.interpolated();
      else if (char === '\\') value += this.escaped();
      else value += char;
    }
  }

  private interpolated(): string {
    this.position += 1; // the opening brace
    const value = this.closedBy('}', this.expression());
    return typeof value === 'number' ? String(value) : text(value, 'interpolation');
  }

  private escaped(): string {
    const char = this.source.charAt(this.position);
    this.position += 1;
    const value = escapes.get(char);
    if (value === undefined) throw this.error(`unsupported escape \\${char}`);
    return value;
  }

  private identifier(): string {
    this.skipSpace();
    const name = /^[A-Za-z_]\w*/.exec(this.source.slice(this.position))?.[0];
    if (name === undefined) throw this.error('expected a name');
    this.position += name.length;
    return name;
  }

  private closedBy<T>(token: string, value: T): T {
    if (!this.accept(token)) throw this.error(`expected ${token}`);
    return value;
  }

  private accept(token: string): boolean {
    this.skipSpace();
    if (!this.source.startsWith(token, this.position)) return false;
    this.position += token.length;
    return true;
  }

  private skipSpace(): void {
    while (/\s/.test(this.source.charAt(this.position))) this.position += 1;
  }

  private error(message: string): Error {
    return new Error(`${message} at ${this.position} in ${this.source}`);
  }
}

/** Evaluates one Bicep expression; identifiers are resolved through `lookup`. */
export function evaluateBicep(expression: string, lookup: Lookup): BicepValue {
  const parser = new Parser(expression, lookup);
  const value = parser.expression();
  parser.end();
  return value;
}
