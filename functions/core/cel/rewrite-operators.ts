// Operator semantics where the library departs from CEL, fixed on each parsed node after
// its own check (checker-hooks.ts):
// - `==`, `!=` and `in` over dynamic values use CEL's equality (cel-equality.ts):
//   `dyn(1) == 'a'` is false, not an error, and `[1.0] == [1u]` is true;
// - `<`, `<=`, `>`, `>=` compare an int with a double as doubles, as cel-go does;
// - an empty literal (`[]`, `{}`) that a macro ranges over or `.?` selects from is a list
//   or map of dyn, so `[].all(e, e > 0)` checks (elsewhere it keeps its placeholder type,
//   which `[[], [1]]` needs);
// - in an unchecked evaluation only (checker-hooks.ts, isUnchecked), types are found at
//   run time: `||` and `&&` absorb an operand's error or non-bool as cel-go does
//   (`a.unknown() || true` is true), `?:` may give branches of two types, and `1.0 == 1`.
// Checked expressions (every rule the kernel compiles) keep the checker's refusals.
import { argsOf, type CelNode, isCelNode } from './cel-ast.js';
import { celEquals, evaluatorOf, listIncludes } from './cel-equality.js';
import { type Checker, type CheckHook, errorCode, hookCheck, isUnchecked } from './checker-hooks.js';

// Handlers take the library's arguments one by one (no rest parameter): they run on every evaluation.
const equal = (left: unknown, right: unknown, _ast: unknown, evaluator: unknown) =>
  celEquals(left, right, evaluatorOf(evaluator));
const notEqual = (left: unknown, right: unknown, _ast: unknown, evaluator: unknown) =>
  !celEquals(left, right, evaluatorOf(evaluator));

const checkEquality: CheckHook = (checker, node, context, original) => {
  let type: ReturnType<typeof original>;
  let dynamic = false;
  try {
    type = original(checker, node, context);
    dynamic = Boolean(node.left?.checkedType?.hasDynType || node.right?.checkedType?.hasDynType);
  } catch (error) {
    if (!isUnchecked(checker) || errorCode(error) !== 'no_such_overload') throw error;
    type = checker.boolType;
    dynamic = true;
  }
  if (dynamic) node.handle = node.op === '!=' ? notEqual : equal;
  return type;
};

const checkIn: CheckHook = (checker, node, context, original) => {
  const type = original(checker, node, context);
  if (!(node.left?.checkedType?.hasDynType || node.right?.checkedType?.hasDynType)) return type;
  const inner = node.handle;
  node.handle = (left: unknown, right: unknown, ast: unknown, evaluator: unknown) =>
    Array.isArray(right) ? listIncludes(left, right, evaluatorOf(evaluator)) : inner(left, right, ast, evaluator);
  return type;
};

/** An int compared with a double is compared as a double, as cel-go does (2^63-1 is not below 2^63). */
const checkOrder: CheckHook = (checker, node, context, original) => {
  const type = original(checker, node, context);
  const [left, right] = [node.left?.checkedType, node.right?.checkedType];
  const mixed =
    (left?.name === 'int' && right?.name === 'double') || (left?.name === 'double' && right?.name === 'int');
  if (!(mixed || left?.hasDynType || right?.hasDynType)) return type;
  const inner = node.handle;
  node.handle = (a: unknown, b: unknown, ast: unknown, evaluator: unknown) => {
    if (typeof a === 'bigint' && typeof b === 'number') return inner(Number(a), b, ast, evaluator);
    if (typeof a === 'number' && typeof b === 'bigint') return inner(a, Number(b), ast, evaluator);
    return inner(a, b, ast, evaluator);
  };
  return type;
};

const checkEmptyLiteral: CheckHook = (checker, node, context, original) => {
  original(checker, node, context);
  return checker.getType(node.op === 'list' ? 'list<dyn>' : 'map<dyn, dyn>');
};

const checkLogic: CheckHook = (checker, node, context, original) => {
  if (!isUnchecked(checker)) return original(checker, node, context);
  const [left, right] = Array.isArray(node.args) ? node.args : [];
  for (const operand of [left, right]) deferError(checker, operand, context);
  Object.assign(node, { left, right });
  return checker.boolType;
};

/** In an unchecked evaluation, an operand that fails its check fails when evaluated instead. */
function deferError(checker: Checker, operand: CelNode, context: unknown): void {
  try {
    checker.check(operand, context);
  } catch (error) {
    const fail = () => {
      throw error;
    };
    operand.setMeta('alternate', operand.clone({ name: 'error', check: () => checker.dynType, evaluate: fail }, []));
    checker.check(operand, context);
  }
}

const checkTernary: CheckHook = (checker, node, context, original) => {
  try {
    return original(checker, node, context);
  } catch (error) {
    if (!isUnchecked(checker) || errorCode(error) !== 'incompatible_ternary_branches') throw error;
    return checker.dynType;
  }
};

const hooks: Readonly<Record<string, CheckHook>> = {
  '==': checkEquality,
  '!=': checkEquality,
  in: checkIn,
  '<': checkOrder,
  '<=': checkOrder,
  '>': checkOrder,
  '>=': checkOrder,
  '||': checkLogic,
  '&&': checkLogic,
  '?:': checkTernary,
};

const comprehensionMacros = new Set(
  'all exists exists_one existsOne map filter transformList transformMap transformMapEntry'.split(' '),
);

function isEmptyLiteral(value: unknown): value is CelNode {
  return isCelNode(value) && (value.op === 'list' || value.op === 'map') && argsOf(value).length === 0;
}

export function rewriteOperator(node: CelNode): void {
  const hook = hooks[node.op];
  if (hook) hookCheck(node, hook);
  const [first, receiver] = argsOf(node);
  if (node.op === 'rcall' && comprehensionMacros.has(String(first)) && isEmptyLiteral(receiver))
    hookCheck(receiver, checkEmptyLiteral);
  else if ((node.op === '.?' || node.op === '[?]') && isEmptyLiteral(first)) hookCheck(first, checkEmptyLiteral);
}
