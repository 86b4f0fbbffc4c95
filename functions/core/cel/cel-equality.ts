// CEL's runtime equality (cel-spec, "Equality"): values of different types are unequal,
// not an error, and numbers compare by value across int, uint and double, also inside
// lists and maps (`dyn(1) == 1.0`, `[1] == [1.0]`, `{1: 'a'} == {1u: 'a'}`). The library
// errs on `dyn(1) == 'a'` and compares lists of mixed numbers by JS identity; the kernel
// points `==`, `!=` and `in` over dynamic values here (rewrite-operators.ts).
import { Optional } from '@marcbachmann/cel-js';
import { Duration, UnsignedInt } from './cel-classes.js';

/** An evaluator's registry, as the library passes it to operator handlers (lib/overloads.js). */
export interface EqualityEvaluator {
  debugType(value: unknown): unknown;
  readonly registry: {
    findBinaryOverload(
      op: string,
      left: unknown,
      right: unknown,
    ): false | { handler: (...args: unknown[]) => unknown } | undefined;
  };
}

function numberOf(value: unknown): bigint | number | undefined {
  if (typeof value === 'bigint' || typeof value === 'number') return value;
  return value instanceof UnsignedInt ? value.valueOf() : undefined;
}

/** Exact numeric equality across int and double: 2^53 + 1 is not 2^53 as a double. */
function sameNumber(left: bigint | number | undefined, right: bigint | number | undefined): boolean {
  if (left === undefined || right === undefined) return false;
  if (typeof left === typeof right) return left === right;
  const [int, double] = typeof left === 'bigint' ? [left, right] : [right, left];
  return typeof double === 'number' && Number.isInteger(double) && BigInt(double) === int;
}

/** The evaluator the library passes an operator handler last (lib/operators.js, handleBinary). */
export function evaluatorOf(argument: unknown): EqualityEvaluator {
  // Trust boundary: the library calls every binary handler with (left, right, node, evaluator).
  return argument as EqualityEvaluator;
}

export function celEquals(left: unknown, right: unknown, evaluator: EqualityEvaluator): boolean {
  if (left === right) return typeof left !== 'number' || !Number.isNaN(left);
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) {
    return sameNumber(numberOf(left), numberOf(right));
  }
  return objectsEqual(left, right, evaluator);
}

function objectsEqual(left: object, right: object, evaluator: EqualityEvaluator): boolean {
  if (left instanceof UnsignedInt || right instanceof UnsignedInt) {
    return sameNumber(numberOf(left), numberOf(right));
  }
  if (Array.isArray(left) || Array.isArray(right)) return listsEqual(left, right, evaluator);
  if (left instanceof Uint8Array && right instanceof Uint8Array) return bytesEqual(left, right);
  if (left instanceof Optional || right instanceof Optional) return optionalsEqual(left, right, evaluator);
  if (left instanceof Date && right instanceof Date) return left.getTime() === right.getTime();
  if (left instanceof Duration && right instanceof Duration)
    return left.seconds === right.seconds && left.nanos === right.nanos;
  if (isObject(left) && isObject(right)) return objectMapsEqual(left, right, evaluator);
  if (isMap(left) && isMap(right)) return mapsEqual(entriesOf(left), entriesOf(right), evaluator);
  const leftType = evaluator.debugType(left);
  if (leftType !== evaluator.debugType(right)) return false;
  const overload = evaluator.registry.findBinaryOverload('==', leftType, leftType);
  return overload ? overload.handler(left, right, undefined, evaluator) === true : false;
}

function listsEqual(left: object, right: object, evaluator: EqualityEvaluator): boolean {
  if (!Array.isArray(left) || !Array.isArray(right) || left.length !== right.length) return false;
  return left.every((item, index) => celEquals(item, right[index], evaluator));
}

function bytesEqual(left: Uint8Array, right: Uint8Array): boolean {
  return left.length === right.length && left.every((byte, index) => byte === right[index]);
}

function optionalsEqual(left: object, right: object, evaluator: EqualityEvaluator): boolean {
  if (!(left instanceof Optional && right instanceof Optional)) return false;
  if (!left.hasValue() || !right.hasValue()) return left.hasValue() === right.hasValue();
  return celEquals(left.value(), right.value(), evaluator);
}

function isObject(value: object): value is Record<string, unknown> {
  return value.constructor === Object || value.constructor === undefined;
}

function isMap(value: object): boolean {
  return value instanceof Map || isObject(value);
}

function objectMapsEqual(
  left: Record<string, unknown>,
  right: Record<string, unknown>,
  evaluator: EqualityEvaluator,
): boolean {
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => Object.hasOwn(right, key) && celEquals(left[key], right[key], evaluator));
}

/** A map's entries: a JS object's keys are strings (the library's map literals build objects). */
function entriesOf(value: object): [unknown, unknown][] {
  return value instanceof Map ? [...value.entries()] : Object.entries(value);
}

function mapsEqual(left: [unknown, unknown][], right: [unknown, unknown][], evaluator: EqualityEvaluator): boolean {
  if (left.length !== right.length) return false;
  return left.every(([key, value]) => {
    const match = right.find(([otherKey]) => celEquals(keyOf(key), keyOf(otherKey), evaluator));
    return match !== undefined && celEquals(value, match[1], evaluator);
  });
}

/** Map keys as the library stores them: numbers in a literal map become the object's string keys. */
function keyOf(key: unknown): unknown {
  if (typeof key === 'bigint' || key instanceof UnsignedInt) return String(key);
  return key;
}

/** `value in list`, by CEL equality. */
export function listIncludes(value: unknown, list: readonly unknown[], evaluator: EqualityEvaluator): boolean {
  for (const item of list) if (celEquals(value, item, evaluator)) return true;
  return false;
}
