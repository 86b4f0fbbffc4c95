// The functions compiled CEL calls itself, by name and number of arguments: those the
// shipped policies use (size, string, join, the string tests, matches, substring,
// optionals, quantities). Each does what the library's overload or the kernel's does
// (lib/functions.js, library-*.ts), charging the budget the same; a value of a type
// it does not take goes back to the interpreter. A function not here keeps its rule
// on the interpreter.
import { quantity } from '../library-quantity.js';
import { matchesLinearly } from '../library-regex.js';
import { chargedJoin, joinCharged } from '../library-strings.js';
import { parseQuantity, Quantity } from '../quantity.js';
import { type Budget, BudgetExceeded } from '../runtime-budget.js';
import { celError, deopt, isInt, isMap, optionalOf } from './fast-values.js';

/** A call's implementation: the receiver (undefined for a global call) and up to two arguments. */
export type FastFunction = (budget: Budget, receiver: unknown, first: unknown, second: unknown) => unknown;

function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

function size(value: unknown): number {
  if (typeof value === 'string') return codePoints(value);
  if (Array.isArray(value)) return value.length;
  if (isMap(value)) return Object.keys(value).length;
  return deopt('size() of a value that is not a string, list or map');
}

function string(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isInt(value) || typeof value === 'boolean') return `${value}`;
  return deopt('string() of a value that is not a string, int or bool');
}

/** A string function of two strings (startsWith, endsWith, contains). */
function onStrings(test: (text: string, argument: string) => boolean): FastFunction {
  return (_budget, text, argument) =>
    typeof text === 'string' && typeof argument === 'string'
      ? test(text, argument)
      : deopt('a string function on values that are not strings');
}

function matches(text: string, pattern: string): boolean {
  try {
    return matchesLinearly(text, pattern);
  } catch (error) {
    if (error instanceof BudgetExceeded) throw error;
    return deopt('a regular expression that does not compile');
  }
}

/** The kernel's join (library-strings.ts); its error, an element that is not a string, is CEL's. */
function join(budget: Budget, list: unknown, separator: unknown): string {
  if (!Array.isArray(list) || typeof separator !== 'string') return deopt('join() on a value that is not a list');
  try {
    return joinCharged(list, separator);
  } catch (error) {
    if (error instanceof BudgetExceeded) throw error;
    throw celError(budget, error instanceof Error ? error.message : 'string.join() failed');
  }
}

function substring(budget: Budget, text: unknown, start: unknown, end: unknown): string {
  if (typeof text !== 'string' || !isInt(start) || !(end === undefined || isInt(end)))
    return deopt('substring() on values that are not a string and ints');
  if (start < 0 || start > text.length)
    throw celError(budget, 'string.substring(start, end): start index out of range');
  if (end !== undefined && (end < start || end > text.length))
    throw celError(budget, 'string.substring(start, end): end index out of range');
  return text.substring(start, end);
}

/** A comparison of two quantities, by the sign it asks for. */
function quantityComparison(sign: bigint): FastFunction {
  return (_budget, left, right) =>
    left instanceof Quantity && right instanceof Quantity
      ? left.compareTo(right) === sign
      : deopt('a quantity function on values that are not quantities');
}

function quantityOf(budget: Budget, text: unknown): Quantity {
  if (typeof text !== 'string') return deopt('quantity() of a value that is not a string');
  try {
    return quantity(text);
  } catch (error) {
    if (error instanceof BudgetExceeded) throw error;
    throw celError(budget, error instanceof Error ? error.message : 'not a quantity');
  }
}

/** Calls written `f(x)`, by `name/arity`. */
export const globalFunctions: ReadonlyMap<string, FastFunction> = new Map<string, FastFunction>([
  ['size/1', (_budget, _receiver, value) => size(value)],
  ['string/1', (_budget, _receiver, value) => string(value)],
  ['quantity/1', (budget, _receiver, text) => quantityOf(budget, text)],
  [
    'isQuantity/1',
    (_budget, _receiver, text) =>
      typeof text === 'string'
        ? parseQuantity(text) !== undefined
        : deopt('isQuantity() of a value that is not a string'),
  ],
]);

/** Calls written `x.f(...)`, by `name/arity`. */
export const receiverFunctions: ReadonlyMap<string, FastFunction> = new Map<string, FastFunction>([
  ['size/0', (_budget, value) => size(value)],
  ['hasValue/0', (_budget, optional) => optionalOf(optional).hasValue()],
  [`${chargedJoin}/0`, (budget, list) => join(budget, list, '')],
  [`${chargedJoin}/1`, (budget, list, separator) => join(budget, list, separator)],
  ['startsWith/1', onStrings((text, prefix) => text.startsWith(prefix))],
  ['endsWith/1', onStrings((text, suffix) => text.endsWith(suffix))],
  ['contains/1', onStrings((text, part) => text.includes(part))],
  ['matchesLinearTime/1', onStrings(matches)],
  ['substring/1', (budget, text, start) => substring(budget, text, start, undefined)],
  ['substring/2', (budget, text, start, end) => substring(budget, text, start, end)],
  ['isGreaterThan/1', quantityComparison(1n)],
  ['isLessThan/1', quantityComparison(-1n)],
]);
