// The values of compiled CEL (compile-fast.ts): the object as the API server sent it,
// not converted. A JSON number that is a safe integer is a CEL int, as toCelValue
// reads it (a bigint there, a number here); any other number is a double, which the
// compiled form only compares. Optionals are the library's own Optional.
//
// Two ways out of an evaluation:
// - FastError: CEL's own error (no such key, index out of range), which `&&`, `||`,
//   `all` and `exists` absorb as CEL says; one that reaches the top of an expression
//   sends the rule to the interpreter, for the interpreter's message.
// - Deopt: anything the compiled form does not decide itself (a double in arithmetic,
//   a list compared with a list, a map with a `constructor` key): the rule is evaluated
//   again by the interpreter, which decides it as it always has.
import { Optional } from '@marcbachmann/cel-js';
import { type Budget, errorUnits } from '../runtime-budget.js';

export class Deopt {
  constructor(readonly why: string) {}
}

/** Thrown without a stack trace: an error that `exists` absorbs costs no more than a step. */
export class FastError {
  constructor(readonly message: string) {}
}

/** A CEL error, charged as the interpreter charges the error it would raise. */
export function celError(budget: Budget, message: string): FastError {
  budget.charge(errorUnits);
  return new FastError(message);
}

export function deopt(why: string): never {
  throw new Deopt(why);
}

/** A JSON map as the library reads one: a plain object (one with a `constructor` key it refuses). */
export function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && value.constructor === Object;
}

/**
 * A JSON object the library cannot take as a value: one with a field of its own named
 * `constructor` (the library reads a value's type from its constructor). Where the
 * compiled form would read one, the interpreter decides.
 */
export function isForeign(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, 'constructor');
}

/** `value`, unless it is foreign (then the interpreter decides). */
export function checked<T>(value: T): T {
  if (isForeign(value)) deopt('a map with a field named constructor');
  return value;
}

/** A CEL int: a number that is a whole number within 2^53. */
export function isInt(value: unknown): value is number {
  return Number.isSafeInteger(value);
}

/**
 * CEL equality (cel-equality.ts): values of two types are unequal, numbers compare by
 * value. Two lists, maps or optionals go back to the interpreter.
 */
export function fastEquals(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  const leftObject = typeof left === 'object' && left !== null;
  const rightObject = typeof right === 'object' && right !== null;
  if (leftObject && rightObject) return deopt('equality of two lists, maps or optionals');
  return false;
}

/** A map's own field, undefined when it has none (a field set to undefined counts as none, as in the library). */
export function fieldOf(map: Record<string, unknown>, field: string): unknown {
  return Object.hasOwn(map, field) ? map[field] : undefined;
}

/** `object.field`: a map's own field, else CEL's no-such-key error. */
export function select(budget: Budget, operand: unknown, field: string): unknown {
  if (isMap(operand)) {
    const value = fieldOf(operand, field);
    if (value !== undefined) return checked(value);
    throw celError(budget, `no such key: ${field}`);
  }
  if (operand === null || operand === undefined) throw celError(budget, `no such key: ${field}`);
  return deopt('a field of a value that is not a map');
}

/** `object.?field`: an optional of a map's own field, or of an optional's. */
export function selectOptional(operand: unknown, field: string): Optional {
  let map = operand;
  if (operand instanceof Optional) {
    if (!operand.hasValue()) return operand;
    map = operand.value();
  }
  if (!isMap(map)) return deopt('an optional field of a value that is not a map');
  return Optional.of(checked(fieldOf(map, field)));
}

/** `list[index]` or `map[key]`. */
export function index(budget: Budget, operand: unknown, key: unknown): unknown {
  if (Array.isArray(operand) && isInt(key)) {
    if (key >= 0 && key < operand.length) return checked(operand[key]);
    throw celError(budget, `index out of range: ${key}`);
  }
  if (isMap(operand) && typeof key === 'string') {
    const value = fieldOf(operand, key);
    if (value !== undefined) return checked(value);
    throw celError(budget, `no such key: ${key}`);
  }
  return deopt('an index the compiled form does not take');
}

/** `needle in haystack`: a list's element by CEL equality, or a map's key. */
export function contains(needle: unknown, haystack: unknown): boolean {
  if (Array.isArray(haystack)) {
    for (const element of haystack) if (fastEquals(needle, element)) return true;
    return false;
  }
  if (isMap(haystack) && typeof needle === 'string') return Object.hasOwn(haystack, needle);
  return deopt('`in` on a value the compiled form does not take');
}

/** `+` of two strings, two lists or two ints. */
export function add(left: unknown, right: unknown): unknown {
  if (typeof left === 'string' && typeof right === 'string') return left + right;
  if (Array.isArray(left) && Array.isArray(right)) return left.concat(right);
  if (isInt(left) && isInt(right)) {
    const sum = left + right;
    if (Number.isSafeInteger(sum)) return sum;
  }
  return deopt('`+` of values the compiled form does not add');
}

/** `<`, `<=`, `>`, `>=` of two ints. */
export function compare(left: unknown, right: unknown): number {
  if (isInt(left) && isInt(right)) return left - right;
  return deopt('an ordering of values that are not both ints');
}

/** An optional (orValue's receiver, hasValue's); another value goes to the interpreter, which fails on it. */
export function optionalOf(value: unknown): Optional {
  if (value instanceof Optional) return value;
  return deopt('an optional function on a value that is not an optional');
}

/** A bool the compiled form may branch on; another value goes to the interpreter. */
export function asBool(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  return deopt('a condition that is not a bool');
}

/** The elements a comprehension ranges over: a list's, or a map's keys. */
export function rangeOf(value: unknown): readonly unknown[] {
  if (Array.isArray(value)) return value;
  if (isMap(value)) return Object.keys(value);
  return deopt('a comprehension over a value that is not a list or a map');
}
