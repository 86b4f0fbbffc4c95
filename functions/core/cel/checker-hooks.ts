// The few members of the library's type checker and checked nodes that the kernel's
// operator rewrites use (rewrite-operators.ts, rewrite-ranges.ts), and a way to run code
// after a node's own check: the library checks each node once, before its first
// evaluation, and stores there how to evaluate it (`handle`).
import { EvaluationError } from '@marcbachmann/cel-js';
import type { CelNode } from './cel-ast.js';

// Trust boundary: lib/type-checker.js and lib/registry.js, only the members used here.
export interface CheckedType {
  readonly kind: string;
  readonly name: string;
  readonly hasDynType: boolean;
  readonly valueType?: CheckedType;
  readonly keyType?: CheckedType;
}
export interface Checker {
  readonly dynType: CheckedType;
  readonly boolType: CheckedType;
  check(node: unknown, context: unknown): CheckedType;
  getType(name: string): CheckedType;
  readonly registry: {
    getOptionalType(value: CheckedType): CheckedType;
    getListType(value: CheckedType): CheckedType;
    getMapType(key: CheckedType, value: CheckedType): CheckedType;
  };
}
/** A node as the checker leaves it: operands, their types and the evaluation handle. */
export interface CheckedNode extends CelNode {
  handle: (...args: unknown[]) => unknown;
  readonly left?: CheckedNode;
  readonly right?: CheckedNode;
  checkedType?: CheckedType;
}
export type Check = (checker: Checker, node: CheckedNode, context: unknown) => CheckedType;
export type CheckHook = (checker: Checker, node: CheckedNode, context: unknown, original: Check) => CheckedType;

/** Runs `hook` in place of the node's check; the hook calls the original. */
export function hookCheck(node: CelNode, hook: CheckHook): void {
  // Trust boundary: every operator the library parses carries its check in meta (lib/parser.js).
  const original = node.meta.check as Check;
  node.setMeta('check', (checker: Checker, checked: CheckedNode, context: unknown) =>
    hook(checker, checked, context, original),
  );
}

const uncheckedByChecker = new WeakMap<object, boolean>();

/**
 * Whether the checker is the library's pass before an unchecked evaluation (a program run
 * without `check()`, as cel-spec's `disableCheck` tests run): there, as in cel-go, types
 * are only known at run time and a type mismatch is an evaluation error, not a refusal.
 * That pass raises EvaluationErrors; the real checker raises TypeErrors.
 */
export function isUnchecked(checker: Checker): boolean {
  let known = uncheckedByChecker.get(checker);
  if (known === undefined) {
    // Trust boundary: both of the library's checkers have createError (lib/type-checker.js).
    const { createError } = checker as unknown as { createError(code: string, message: string): Error };
    known = createError.call(checker, 'probe', 'probe') instanceof EvaluationError;
    uncheckedByChecker.set(checker, known);
  }
  return known;
}

export function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? Reflect.get(error, 'code') : undefined;
}
