// The element type of a list or map literal when homogeneous literals are on (as in
// Kubernetes): cel-go accepts elements whose types are assignable to one another, dyn
// being assignable to every type (`[object.spec.replicas, 1]` is a list of dyn); the
// library wants the very same type and refused that. Types that are not assignable
// (`[1, 'a']`) are still refused.
import type { CelNode } from './cel-ast.js';
import { type CheckedType, type Checker, type CheckHook, errorCode, hookCheck } from './checker-hooks.js';

const heterogeneous = new Set(['heterogeneous_list_element', 'heterogeneous_map_key', 'heterogeneous_map_value']);

function assignable(left: CheckedType | undefined, right: CheckedType | undefined): boolean {
  if (left === undefined || right === undefined) return false;
  if (left === right || left.kind === 'dyn' || right.kind === 'dyn') return true;
  if (left.kind !== right.kind || !['list', 'map', 'optional'].includes(left.kind)) return false;
  return (
    assignable(left.valueType, right.valueType) && (left.kind !== 'map' || assignable(left.keyType, right.keyType))
  );
}

/** The more general of two assignable types: the one holding dyn. */
function join(types: readonly CheckedType[]): CheckedType | undefined {
  let joined = types[0];
  for (const type of types.slice(1)) {
    if (!assignable(joined, type)) return undefined;
    if (type.hasDynType) joined = type;
  }
  return joined;
}

function literalType(checker: Checker, node: CelNode, context: unknown): CheckedType | undefined {
  const entries = Array.isArray(node.args) ? node.args : [];
  if (node.op === 'list') {
    const element = join(entries.map((entry) => checker.check(entry, context)));
    return element && checker.registry.getListType(element);
  }
  const pairs = entries.map((entry) => (Array.isArray(entry) ? entry : []));
  const key = join(pairs.map(([k]) => checker.check(k, context)));
  const value = join(pairs.map(([, v]) => checker.check(v, context)));
  return key && value && checker.registry.getMapType(key, value);
}

const checkLiteral: CheckHook = (checker, node, context, original) => {
  try {
    return original(checker, node, context);
  } catch (error) {
    const type = heterogeneous.has(String(errorCode(error))) ? literalType(checker, node, context) : undefined;
    if (type === undefined) throw error;
    return type;
  }
};

export function rewriteLiteralType(node: CelNode): void {
  if ((node.op === 'list' || node.op === 'map') && Array.isArray(node.args) && node.args.length > 1)
    hookCheck(node, checkLiteral);
}
