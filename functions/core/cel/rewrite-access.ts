// Field and index access where the library departs from CEL, fixed on each parsed node
// after its own check (checker-hooks.ts):
// - a field of a value whose type is still a placeholder (`optional.none().?x`,
//   `{}.?a.b`) is dyn, not a check error;
// - a field of an optional that holds a value without fields (`optional.of(0).x`) is an
//   error, as in cel-go, not an empty optional;
// - a list index may be a uint (`[7, 8, 9][dyn(0u)]`).
import { Optional } from '@marcbachmann/cel-js';
import type { CelNode } from './cel-ast.js';
import { UnsignedInt } from './cel-classes.js';
import { type CheckedNode, type CheckedType, type CheckHook, errorCode, hookCheck } from './checker-hooks.js';

function isPlaceholder(type: CheckedType | undefined): boolean {
  return type?.kind === 'param' || (type?.kind === 'optional' && type.valueType?.kind === 'param');
}

function hasFields(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

function wrapHandle(node: CheckedNode): void {
  const inner = node.handle;
  if (node.op === '.' && node.left?.checkedType?.kind === 'optional')
    node.handle = (left: unknown, right: unknown, ast: unknown, evaluator: unknown) => {
      if (left instanceof Optional && left.hasValue() && !hasFields(left.value())) throw new Error('no such key');
      return inner(left, right, ast, evaluator);
    };
  else if (node.op === '[]' && node.right?.checkedType?.hasDynType)
    node.handle = (left: unknown, right: unknown, ast: unknown, evaluator: unknown) =>
      Array.isArray(left) && right instanceof UnsignedInt
        ? inner(left, right.valueOf(), ast, evaluator)
        : inner(left, right, ast, evaluator);
}

const checkAccess: CheckHook = (checker, node, context, original) => {
  let type: CheckedType;
  try {
    type = original(checker, node, context);
  } catch (error) {
    const operand = node.left?.checkedType;
    if (errorCode(error) !== 'cannot_index_type' || !isPlaceholder(operand)) throw error;
    const optional = node.op === '.?' || node.op === '[?]' || operand?.kind === 'optional';
    type = optional ? checker.registry.getOptionalType(checker.dynType) : checker.dynType;
  }
  wrapHandle(node);
  return type;
};

const accessOperators = new Set(['.', '.?', '[]', '[?]']);

export function rewriteAccess(node: CelNode): void {
  if (accessOperators.has(node.op)) hookCheck(node, checkAccess);
}
