// What compiled CEL's generated statements call (`h.` in compile-fast.ts): the
// operators of fast-values.ts and the pieces of macros that are not statements.
import { Optional } from '@marcbachmann/cel-js';
import { countUnits, sizeUnits } from '../cost-units.js';
import type { Budget } from '../runtime-budget.js';
import {
  add,
  asBool,
  celError,
  checked,
  compare,
  contains,
  deopt,
  fastEquals,
  fieldOf,
  index,
  isMap,
  optionalOf,
  rangeOf,
  select,
  selectOptional,
} from './fast-values.js';

/** `has(root.a.b)`: whether the last field is set; a missing field before it is CEL's error. */
function has(budget: Budget, root: unknown, fields: readonly string[]): boolean {
  let value = root;
  for (const [at, field] of fields.entries()) {
    if (!isMap(value)) return deopt('has() on a value that is not a map');
    value = checked(fieldOf(value, field));
    if (value === undefined) {
      if (at < fields.length - 1) throw celError(budget, `no such key: ${field}`);
      return false;
    }
  }
  return true;
}

/** A two-variable comprehension's pairs: a list's index and element, a map's key and value. */
function entriesOf(collection: unknown): readonly (readonly [unknown, unknown])[] {
  if (Array.isArray(collection)) return collection.map((element, at) => [at, checked(element)] as const);
  if (isMap(collection)) return Object.entries(collection).map(([key, value]) => [key, checked(value)] as const);
  return deopt('a two-variable comprehension over a value that is not a list or a map');
}

/** What optionalPath gives for an empty optional. */
const none = Symbol('none');

/**
 * `root.?a.?b` without the optionals: the value, or `none` (a field of a value that is
 * not a map goes back to the interpreter, as selectOptional does).
 */
function optionalPath(root: unknown, fields: readonly string[]): unknown {
  let value = root;
  if (value instanceof Optional) {
    if (!value.hasValue()) return none;
    value = value.value();
  }
  for (const field of fields) {
    if (!isMap(value)) return deopt('an optional field of a value that is not a map');
    value = checked(fieldOf(value, field));
    if (value === undefined) return none;
  }
  return value;
}

/** A map literal from its keys and values in order: string keys, each once. */
function mapOf(parts: readonly unknown[]): Record<string, unknown> {
  const map: Record<string, unknown> = {};
  for (let at = 0; at < parts.length; at += 2) {
    const key = parts[at];
    if (typeof key !== 'string' || droppedKeys.has(key) || Object.hasOwn(map, key))
      return deopt('a map literal with a key that is not a string, a key the library drops, or a key twice');
    map[key] = parts[at + 1];
  }
  sameKinds(Object.values(map));
  return map;
}

/** Keys the library leaves out of a map literal (lib/operators.js, safeFromEntries). */
const droppedKeys = new Set(['__proto__', 'constructor', 'prototype']);

const kindOf = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'list' : typeof value);

/**
 * A literal's elements, of one kind (the interpreter types a literal by its elements
 * and checks the values it binds against that: a mixed one goes back to it).
 */
function sameKinds<T>(elements: readonly T[]): readonly T[] {
  const [first] = elements;
  for (const element of elements)
    if (kindOf(element) !== kindOf(first)) deopt('a literal whose elements are of different kinds');
  return elements;
}

export const fastHelpers = Object.freeze({
  units: sizeUnits,
  counted: countUnits,
  equals: fastEquals,
  contains,
  add,
  compare,
  select,
  selectOptional,
  index,
  asBool,
  rangeOf,
  has,
  entriesOf,
  mapOf,
  listOf: sameKinds,
  checked,
  optionalOf,
  optionalPath,
  none,
});
