// The strings extension's `format`: "%s is %d".format([name, count]), with the
// clauses %s, %d, %f, %e (with a precision, `%.3f`), %b, %o, %x, %X and %%, as cel-go
// writes each value. A clause that does not fit its value is an error.
import type { Environment } from '@marcbachmann/cel-js';
import { type CelDuration, durationText } from './library-standard.js';
import { chargeCharacters } from './library-strings.js';

const clausePattern = /%(?:%|(?:\.(\d+))?([a-zA-Z]))/g;

function isInteger(value: unknown): value is bigint | { valueOf(): bigint } {
  return typeof value === 'bigint' || (typeof value === 'object' && value?.constructor?.name === 'UnsignedInt');
}

function special(value: number): string | undefined {
  if (Number.isNaN(value)) return 'NaN';
  return value === Number.POSITIVE_INFINITY ? 'Infinity' : value === Number.NEGATIVE_INFINITY ? '-Infinity' : undefined;
}

/** A value as `%s` writes it. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return special(value) ?? String(value);
  if (typeof value === 'bigint' || typeof value === 'boolean' || isInteger(value)) return String(value.valueOf());
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  if (value instanceof Date) return value.toISOString().replace('.000Z', 'Z');
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  const kind = value.constructor?.name;
  // Trust boundary: the library's Duration class (lib/functions.js) has bigint seconds and number nanos.
  if (kind === 'Duration') return durationText(value as unknown as CelDuration);
  if (kind === 'Type') return String(Reflect.get(value, 'name'));
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  const written = entries.map(([key, entry]) => `${formatValue(key)}: ${formatValue(entry)}`).sort();
  return `{${written.join(', ')}}`;
}

function hexOf(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function radix(value: unknown, base: number, clause: string): string {
  if (typeof value === 'boolean' && base === 2) return value ? '1' : '0';
  if (isInteger(value)) return value.valueOf().toString(base);
  if (base === 16 && typeof value === 'string') return hexOf(new TextEncoder().encode(value));
  if (base === 16 && value instanceof Uint8Array) return hexOf(value);
  throw new Error(`format: %${clause} does not take ${typeof value === 'string' ? 'a string' : 'this value'}`);
}

/**
 * `toFixed`, but a value exactly halfway rounds to the even digit, as cel-go (Go's
 * strconv) does: `%.0f` of 2.5 is "2". `toFixed` rounds such a tie away from zero; a
 * tie shows as "5" then zeros in the value's exact digits (toFixed gives them, up to 100).
 */
function toFixedHalfEven(number: number, precision: number): string {
  const rounded = number.toFixed(precision);
  const extra = 30;
  if (precision + extra > 100) return rounded;
  const exact = number.toFixed(precision + extra);
  if (!/^50*$/.test(exact.slice(-extra))) return rounded;
  const truncated = exact.slice(0, -extra).replace(/\.$/, '');
  return Number(truncated.at(-1)) % 2 === 0 ? truncated : rounded;
}

function decimal(value: unknown, clause: string, precision: number): string {
  const number = isInteger(value) ? Number(value.valueOf()) : value;
  if (typeof number !== 'number') throw new Error(`format: %${clause} needs a number`);
  const named = special(number);
  if (named !== undefined) return named;
  if (clause === 'd') {
    if (!isInteger(value)) throw new Error('format: %d needs an int or a uint');
    return String(value.valueOf());
  }
  if (clause === 'f') return toFixedHalfEven(number, precision);
  return number.toExponential(precision).replace(/e([+-])(\d)$/, 'e$10$2');
}

function formatClause(clause: string, precision: number, value: unknown): string {
  switch (clause) {
    case 's':
      return formatValue(value);
    case 'd':
    case 'f':
    case 'e':
      return decimal(value, clause, precision);
    case 'b':
      return radix(value, 2, clause);
    case 'o':
      return radix(value, 8, clause);
    case 'x':
      return radix(value, 16, clause);
    case 'X':
      return radix(value, 16, clause).toUpperCase();
    default:
      throw new Error(`format: unknown clause %${clause}`);
  }
}

function format(template: string, values: readonly unknown[]): string {
  let next = 0;
  const result = template.replace(clausePattern, (whole, precision: string | undefined, clause: string | undefined) => {
    if (whole === '%%' || clause === undefined) return '%';
    if (next >= values.length) throw new Error(`format: no value for clause ${next + 1}`);
    return formatClause(clause, precision === undefined ? 6 : Number(precision), values[next++]);
  });
  chargeCharacters(result.length);
  return result;
}

export function registerFormat(environment: Environment): Environment {
  return environment.registerFunction('string.format(list): string', format);
}
