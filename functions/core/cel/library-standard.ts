// Standard CEL functions the library lacks, for conformance with cel-go (what the API
// server runs): int(uint), int(timestamp), string(timestamp), string(duration),
// duration(duration), timestamp(timestamp), optional.ofNonZeroValue, strings.quote,
// type(optional) and optional_type.
import { type Environment, Optional } from '@marcbachmann/cel-js';
import { optionalType } from './cel-classes.js';

const timestamp = 'google.protobuf.Timestamp';
const duration = 'google.protobuf.Duration';

class StringsNamespace {}

export interface CelDuration {
  readonly seconds: bigint;
  readonly nanos: number;
}

function isZero(value: unknown): boolean {
  if (value === null || value === false || value === 0n || value === 0 || value === '') return true;
  if (Array.isArray(value) || value instanceof Uint8Array) return value.length === 0;
  if (value instanceof Map) return value.size === 0;
  return typeof value === 'object' && value.constructor === Object && Object.keys(value).length === 0;
}

const escapes: Readonly<Record<string, string>> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
  '"': '\\"',
};

/** A string as a CEL string literal, in double quotes (cel-go's strings.quote). */
function quote(text: string): string {
  let quoted = '"';
  for (const character of text) {
    const loneSurrogate = character.length === 1 && /[\uD800-\uDFFF]/.test(character);
    quoted += loneSurrogate ? '\uFFFD' : (escapes[character] ?? character);
  }
  return `${quoted}"`;
}

/** A duration as CEL writes it: seconds, with a fraction when there is one (`90s`, `1.5s`). */
export function durationText(value: CelDuration): string {
  const nanos = value.seconds * 1_000_000_000n + BigInt(value.nanos);
  const whole = nanos / 1_000_000_000n;
  const fraction = (nanos < 0n ? -nanos : nanos) % 1_000_000_000n;
  return fraction === 0n ? `${whole}s` : `${whole}.${String(fraction).padStart(9, '0').replace(/0+$/, '')}s`;
}

export function registerStandard(environment: Environment): Environment {
  return environment
    .registerFunction('int(uint): int', (value: { valueOf(): bigint }) => value.valueOf())
    .registerFunction(`int(${timestamp}): int`, (value: Date) => BigInt(Math.floor(value.getTime() / 1000)))
    .registerFunction(`string(${timestamp}): string`, (value: Date) => value.toISOString().replace('.000Z', 'Z'))
    .registerFunction(`string(${duration}): string`, durationText)
    .registerFunction(`duration(${duration}): ${duration}`, (value: CelDuration) => value)
    .registerFunction(`timestamp(${timestamp}): ${timestamp}`, (value: Date) => value)
    .registerFunction('OptionalNamespace.ofNonZeroValue(dyn): optional<dyn>', (_: unknown, value: unknown) =>
      isZero(value) ? Optional.none() : Optional.of(value),
    )
    .registerFunction('type(optional<dyn>): type', () => optionalType)
    .registerConstant('optional_type', 'type', optionalType)
    .registerType('StringsNamespace', StringsNamespace)
    .registerConstant('strings', 'StringsNamespace', new StringsNamespace())
    .registerFunction('StringsNamespace.quote(string): string', (_: unknown, text: string) => quote(text));
}
