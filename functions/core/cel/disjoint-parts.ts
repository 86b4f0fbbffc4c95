// Parts of one object that do not overlap add up to at most the object: the sum
// `object.spec.containers + object.spec.?initContainers.orValue([])`, as the Pod
// Security rules write it, is as large as the object at most, not as two objects.
import { argsOf, type CelNode, isCelNode } from './cel-ast.js';

/** The variable every summand of `node` (a `+`, nested or not) selects a part of, when no two parts overlap. */
export function disjointPartsRoot(node: CelNode): string | undefined {
  const paths = summandsOf(node).map(selectedPath);
  const [first] = paths;
  if (first === undefined || paths.some((path) => path === undefined || path.length < 2)) return undefined;
  const defined = paths.filter((path): path is string[] => path !== undefined);
  if (defined.some((path) => path[0] !== first[0])) return undefined;
  const contains = (outer: string[], inner: string[]) =>
    outer.length <= inner.length && outer.every((name, index) => name === inner[index]);
  const overlap = defined.some((a, i) => defined.some((b, j) => i !== j && contains(a, b)));
  return overlap ? undefined : first[0];
}

function summandsOf(node: CelNode): CelNode[] {
  if (node.op !== '+') return [node];
  return argsOf(node).flatMap((part) => (isCelNode(part) ? summandsOf(part) : []));
}

/** The names of the path `node` selects (`object.spec.containers`), through `?.` and `orValue` of a literal. */
function selectedPath(node: CelNode): string[] | undefined {
  const args = argsOf(node);
  if (node.op === 'id') return [String(args[0])];
  if (node.op === '.' || node.op === '.?') {
    const [operand, field] = args;
    const parent = isCelNode(operand) ? selectedPath(operand) : undefined;
    return parent && [...parent, String(field)];
  }
  const [name, receiver, callArgs] = args;
  const literalDefault = Array.isArray(callArgs) && callArgs.length === 1 && isEmptyLiteral(callArgs[0]);
  if (node.op === 'rcall' && name === 'orValue' && literalDefault && isCelNode(receiver)) return selectedPath(receiver);
  return undefined;
}

function isEmptyLiteral(value: unknown): boolean {
  if (!isCelNode(value)) return false;
  if (value.op === 'value') return true;
  return (value.op === 'list' || value.op === 'map') && argsOf(value).length === 0;
}
