// Qualified names (cel-spec, "Name resolution"): a variable may be declared with a
// dotted name (`a.b.c`), and `a.b.c` then names it rather than selecting fields of `a`;
// the longest declared prefix wins. The library reads `a.b.c` as fields only. Kubernetes
// declares no dotted names, so this changes nothing for rules; it is here for CEL.
import type { Environment } from '@marcbachmann/cel-js';
import { argsOf, type CelNode, isCelNode, rootOf } from './cel-ast.js';

/** The selections of `node`, innermost first, and the identifier they start from. */
function selectionChain(node: CelNode): { root: CelNode; selections: CelNode[] } | undefined {
  const selections: CelNode[] = [];
  let current: unknown = node;
  while (isCelNode(current) && current.op === '.') {
    selections.unshift(current);
    current = argsOf(current)[0];
  }
  return isCelNode(current) && current.op === 'id' ? { root: current, selections } : undefined;
}

export function rewriteQualifiedName(node: CelNode, environment: Environment): void {
  if (node.op !== '.') return;
  const chain = selectionChain(node);
  if (chain === undefined) return;
  let name = String(argsOf(chain.root)[0]);
  let longest: { select: CelNode; name: string } | undefined;
  for (const select of chain.selections) {
    name += `.${String(argsOf(select)[1])}`;
    if (environment.hasVariable(name)) longest = { select, name };
  }
  if (longest === undefined) return;
  const identifier = rootOf(environment.parse('x'));
  const operator = { name: identifier.op, check: identifier.meta.check, evaluate: identifier.meta.evaluate };
  longest.select.setMeta('alternate', identifier.clone(operator, longest.name));
}
