// Ranges CEL enforces and the library does not, checked on the result of each parsed
// operator or conversion (after its own check, checker-hooks.ts): an int is 64 bits
// (`-(-9223372036854775808)`, `int(1e99)` are errors), a duration is at most 2^63-1
// nanoseconds either way (cel-go's), a timestamp lies in years 1 to 9999, and
// `string(bytes)` needs valid UTF-8. Also `duration + timestamp` gives a timestamp (the
// library types it as a duration).

import type { CelNode } from './cel-ast.js';
import { Duration } from './cel-classes.js';
import { type CheckHook, hookCheck } from './checker-hooks.js';

const maxInt = 9223372036854775807n;
const minInt = -9223372036854775808n;
const maxNanos = 9223372036854775807n;
const earliest = Date.parse('0001-01-01T00:00:00Z');
const latest = Date.parse('9999-12-31T23:59:59.999Z');
const timestampType = 'google.protobuf.Timestamp';
const durationType = 'google.protobuf.Duration';

function inRange<T>(value: T): T {
  if (typeof value === 'bigint' && (value > maxInt || value < minInt)) throw new Error('integer overflow');
  if (value instanceof Duration) {
    const nanos = value.seconds * 1_000_000_000n + BigInt(value.nanos);
    if (nanos > maxNanos || nanos < -maxNanos) throw new Error('duration out of range');
  }
  if (value instanceof Date && !(value.getTime() >= earliest && value.getTime() <= latest))
    throw new Error('timestamp out of range');
  return value;
}

/** A double converts to an int only strictly inside the int range (cel-go's). */
function convertible(value: unknown): void {
  if (typeof value === 'number' && !(value > -(2 ** 63) && value < 2 ** 63)) throw new Error('double out of int range');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

type Handle = (...args: unknown[]) => unknown;

const checkResult: CheckHook = (checker, node, context, original) => {
  let type = original(checker, node, context);
  const [left, right] = [node.left?.checkedType?.name, node.right?.checkedType?.name];
  if (node.op === '+' && left === durationType && right === timestampType) type = checker.getType(timestampType);
  const ranged = type.name === 'dyn' || type.name === timestampType || type.name === durationType;
  if (!ranged && !(type.name === 'int' && (node.op === '/' || node.op === '-_'))) return type;
  const inner: Handle = node.handle;
  // The library calls a unary handle with (value, node, evaluator), a binary one with four.
  node.handle = (a: unknown, b: unknown, c: unknown, d: unknown) => inRange(inner(a, b, c, d));
  return type;
};

/** Conversions: `int(x)` and `duration(x)` in range, `string(b)` of valid UTF-8 only. */
const checkConversion: CheckHook = (checker, node, context, original) => {
  const type = original(checker, node, context);
  const inner: Handle = node.handle;
  const name = Array.isArray(node.args) ? node.args[0] : undefined;
  node.handle = (values: unknown, ast: unknown, evaluator: unknown) => {
    const [value] = Array.isArray(values) ? values : [];
    if (name === 'int') convertible(value);
    if (name === 'string' && value instanceof Uint8Array) utf8.decode(value);
    return inRange(inner(values, ast, evaluator));
  };
  return type;
};

const conversions = new Set(['int', 'string', 'duration', 'timestamp']);

export function rewriteRange(node: CelNode): void {
  const args = Array.isArray(node.args) ? node.args : [];
  if (node.op === '-_' || node.op === '/' || node.op === '+' || node.op === '-') hookCheck(node, checkResult);
  else if (node.op === 'call' && conversions.has(String(args[0])) && Array.isArray(args[1]) && args[1].length === 1)
    hookCheck(node, checkConversion);
}
