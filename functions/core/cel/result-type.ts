// Whether an expression can give the type its place needs: a validation or a match
// condition a bool, a messageExpression a string. The checker knows the type of most
// expressions; `object` is dynamic (its schema is the Kubernetes API's, not ours), so
// a field of it is "dyn", and those whose name says they are not bools (name, image,
// labels, replicas, ...) are refused as the API server, which knows the schema, would.
import { argsOf, type CelNode } from './cel-ast.js';
import type { ExpectedType } from './compile-expression.js';

const notBoolFields = new Set([
  'apiVersion',
  'kind',
  'metadata',
  'spec',
  'status',
  'name',
  'namespace',
  'generateName',
  'uid',
  'resourceVersion',
  'labels',
  'annotations',
  'finalizers',
  'ownerReferences',
  'image',
  'images',
  'containers',
  'initContainers',
  'ephemeralContainers',
  'replicas',
  'template',
  'selector',
  'ports',
  'env',
  'resources',
  'limits',
  'requests',
  'command',
  'args',
  'volumes',
  'username',
  'groups',
  'operation',
  'userInfo',
  'serviceAccountName',
  'nodeSelector',
  'tolerations',
]);
const arithmetic = new Set(['+', '-', '*', '/', '%', '-_', 'list', 'map']);

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

/** Why the expression cannot give `expected`, or undefined when it can. */
export function notOfType(root: CelNode, checkedType: string | undefined, expected: ExpectedType): string | undefined {
  if (expected === 'any' || checkedType === expected) return undefined;
  if (checkedType !== undefined && checkedType !== 'dyn')
    return `gives ${article(checkedType)}, not ${article(expected)}`;
  if (expected !== 'bool') return undefined;
  let node = root;
  while (node.meta.alternate) node = node.meta.alternate;
  if (arithmetic.has(node.op)) return `gives a number, list or map, not a bool`;
  if (node.op === '.' && notBoolFields.has(String(argsOf(node)[1])))
    return `gives the field ${String(argsOf(node)[1])}, which is not a bool`;
  return undefined;
}
