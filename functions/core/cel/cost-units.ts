// What the runtime budget charges besides one unit a step (runtime-budget.ts): the
// operands of operators and calls whose work grows with them, by their size, and the
// operand of size(), by what it counts: the library counts a string's code points and
// a map's keys one by one, so `l.all(x, size(m) > 0)` is as costly as a nested loop.
import { argsOf, type CelNode } from './cel-ast.js';

/** Operators and calls whose work grows with their operands: those operands charge their size. */
const scanningOperators = new Set(['in', '==', '!=', '+', '<', '<=', '>', '>=']);
const sizeFreeCalls = new Set('size has hasValue value orValue or optMap optFlatMap dyn type'.split(' '));

export function scansOperands(node: CelNode): boolean {
  if (scanningOperators.has(node.op)) return true;
  const [name] = argsOf(node);
  return (node.op === 'call' || node.op === 'rcall') && !sizeFreeCalls.has(String(name));
}

/** Whether `node` is a call of size(): its operand charges what it counts. */
export function countsOperand(node: CelNode): boolean {
  return (node.op === 'call' || node.op === 'rcall') && argsOf(node)[0] === 'size';
}

/** Units for scanning a value once: a string by 10 characters, a list by element. */
export function sizeUnits(value: unknown): number {
  if (typeof value === 'string') return Math.ceil(value.length / 10);
  return Array.isArray(value) ? value.length : 0;
}

/** Units for what size() counts: a string's characters by 10, a map's keys (a list knows its length). */
export function countUnits(value: unknown): number {
  if (typeof value === 'string') return Math.ceil(value.length / 10);
  if (value instanceof Map) return value.size;
  if (typeof value === 'object' && value !== null && value.constructor === Object) return Object.keys(value).length;
  return 0;
}
