// The parsed expression as the CEL library builds it, seen through the few members the
// kernel reads: the operator, its arguments, and the library's own rewrites (a macro
// such as `all` expands into a `comprehension` node kept as the call's "alternate").
import type { ASTNode } from '@marcbachmann/cel-js';

export interface CelNode {
  readonly op: string;
  readonly args: unknown;
  readonly meta: { readonly alternate?: CelNode; readonly macro?: unknown; check?: unknown; evaluate?: unknown };
  evaluate: (evaluator: unknown, node: unknown, context: unknown) => unknown;
  clone(op: unknown, args: unknown): CelNode;
  setMeta(key: string, value: unknown): CelNode;
}

/** The parsed tree of a program. */
export function rootOf(program: { readonly ast: ASTNode }): CelNode {
  // Trust boundary: the library's ASTNode carries these members at run time (lib/parser.js);
  // its published type leaves out meta, clone, setMeta and evaluate.
  return program.ast as unknown as CelNode;
}

export function isCelNode(value: unknown): value is CelNode {
  return typeof value === 'object' && value !== null && 'op' in value && 'args' in value && 'meta' in value;
}

/** The nodes directly under `node`: arguments, comprehension parts, macro rewrites. */
export function childrenOf(node: CelNode): CelNode[] {
  const found: CelNode[] = [];
  const parts = comprehensionParts(node);
  if (parts) found.push(parts.iterable, parts.init, parts.step);
  else collect(node.args, found, 0);
  if (node.meta.alternate) found.push(node.meta.alternate);
  return found;
}

function collect(value: unknown, found: CelNode[], depth: number): void {
  if (depth > 2 || value === null || typeof value !== 'object') return;
  if (isCelNode(value)) {
    found.push(value);
    return;
  }
  const parts = Array.isArray(value) ? value : Object.values(value);
  for (const part of parts) collect(part, found, depth + 1);
}

/** The operator-specific arguments of a node, as the library lays them out. */
export function argsOf(node: CelNode): readonly unknown[] {
  return Array.isArray(node.args) ? node.args : [node.args];
}

/** A comprehension's parts (the expansion of all, exists, exists_one, map, filter). */
export interface ComprehensionParts {
  readonly iterable: CelNode;
  readonly init: CelNode;
  readonly step: CelNode;
  readonly iterVarName: string;
}

export function comprehensionParts(node: CelNode): ComprehensionParts | undefined {
  if (node.op !== 'comprehension' || typeof node.args !== 'object' || node.args === null) return undefined;
  // Trust boundary: a comprehension's args is the plain object lib/macros.js builds; each part is checked below.
  const { iterable, init, step, iterVarName } = node.args as Record<string, unknown>;
  if (!isCelNode(iterable) || !isCelNode(init) || !isCelNode(step) || typeof iterVarName !== 'string') return undefined;
  return { iterable, init, step, iterVarName };
}

/** The fields an expression selects from the identifier `name` (`variables.x` gives x). */
export function fieldsSelectedFrom(root: CelNode, name: string): string[] {
  const found: string[] = [];
  const pending: CelNode[] = [root];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    const [operand, field] = argsOf(node);
    const selectsName = isCelNode(operand) && operand.op === 'id' && argsOf(operand)[0] === name;
    if ((node.op === '.' || node.op === '.?') && selectsName) found.push(String(field));
    pending.push(...childrenOf(node));
  }
  return found;
}
