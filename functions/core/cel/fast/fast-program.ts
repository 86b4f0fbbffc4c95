// What a compiled CEL expression (compile-fast.ts) runs with: the rule's inputs as the
// API server sent them, the budget, and the rule's variables, each evaluated at most
// once per evaluation of the rule.
import { type CelNode, isCelNode } from '../cel-ast.js';
import type { Budget } from '../runtime-budget.js';
import type { Emitter } from './fast-emitter.js';

export interface FastScope {
  readonly budget: Budget;
  readonly object: unknown;
  readonly oldObject: unknown;
  readonly request: unknown;
  readonly namespaceObject: unknown;
  readonly params: unknown;
  /** The rule's variable at `index` (in declaration order), evaluated on first read. */
  variable(index: number): unknown;
}

export type FastProgram = (scope: FastScope) => unknown;

/** An expression the compiled form does not cover: its rule stays on the interpreter. */
export class Unsupported extends Error {}

/** An operand as a node; anything else is a form the compiled form does not cover. */
export function nodeAt(value: unknown): CelNode {
  if (isCelNode(value)) return value;
  throw new Unsupported('an operand that is not a node');
}

/** What names mean where an expression is generated. */
export interface Names {
  /** The rule's variables declared before this expression, by name. */
  readonly variables: ReadonlyMap<string, number>;
  /** Comprehension variables in scope: the temp that holds each. */
  readonly cells: ReadonlyMap<string, string>;
}

/** Emits a node's evaluation into `out` and gives the text of its value. */
export type Generate = (node: CelNode, names: Names, out: Emitter) => string;
