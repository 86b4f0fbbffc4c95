// What compiled CEL's generated statements call (`h.` in compile-fast.ts): the
// operators of fast-values.ts and the pieces of macros that are not statements.
import { Optional } from '@marcbachmann/cel-js';
import type { Budget } from '../runtime-budget.js';
import { sizeUnits } from '../runtime-budget.js';
import {
  add,
  asBool,
  celError,
  compare,
  contains,
  deopt,
  fastEquals,
  fieldOf,
  index,
  isMap,
  rangeOf,
  select,
  selectOptional,
} from './fast-values.js';

/** `has(root.a.b)`: whether the last field is set; a missing field before it is CEL's error. */
function has(budget: Budget, root: unknown, fields: readonly string[]): boolean {
  let value = root;
  for (const [at, field] of fields.entries()) {
    if (!isMap(value)) return deopt('has() on a value that is not a map');
    value = fieldOf(value, field);
    if (value === undefined) {
      if (at < fields.length - 1) throw celError(budget, `no such key: ${field}`);
      return false;
    }
  }
  return true;
}

/** A two-variable comprehension's pairs: a list's index and element, a map's key and value. */
function entriesOf(collection: unknown): readonly (readonly [unknown, unknown])[] {
  if (Array.isArray(collection)) return collection.map((element, at) => [at, element] as const);
  if (isMap(collection)) return Object.entries(collection);
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
    value = fieldOf(value, field);
    if (value === undefined) return none;
  }
  return value;
}

/** The receiver of orValue: an optional (another value goes back to the interpreter, which fails on it). */
function optionalOf(value: unknown): Optional {
  if (value instanceof Optional) return value;
  return deopt('orValue() on a value that is not an optional');
}

/** A map literal from its keys and values in order: string keys, each once. */
function mapOf(parts: readonly unknown[]): Record<string, unknown> {
  const map: Record<string, unknown> = {};
  for (let at = 0; at < parts.length; at += 2) {
    const key = parts[at];
    if (typeof key !== 'string' || key === '__proto__' || Object.hasOwn(map, key))
      return deopt('a map literal with a key that is not a string, or a key twice');
    map[key] = parts[at + 1];
  }
  return map;
}

export const fastHelpers = Object.freeze({
  units: sizeUnits,
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
  optionalOf,
  optionalPath,
  none,
});
