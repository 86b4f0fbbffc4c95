// Rewrites of a parsed expression, before it is type-checked, for what the CEL library
// does differently from Kubernetes:
// - `matches` runs on the linear-time engine (library-regex.ts), not on JS RegExp;
// - `lowerAscii` and `upperAscii` change ASCII letters only, `trim` Go's spaces, and `join`
//   is charged before it builds its string (library-strings.ts);
// - `has()` accepts a field under an index, as in `has(object.spec.containers[0].image)`
//   (the library accepts only a chain of fields); it is evaluated as `x.?field.hasValue()`;
// - operators, field access and map literals follow CEL where the library departs from
//   it (rewrite-operators.ts, rewrite-access.ts, rewrite-map-literals.ts), keep CEL's
//   ranges (rewrite-ranges.ts) and take time zone offsets (rewrite-time-zones.ts);
// - a dotted variable name (`a.b.c`) names the variable (rewrite-names.ts);
// - a literal's elements may be of assignable types, dyn and int (rewrite-literal-types.ts).
import type { Environment } from '@marcbachmann/cel-js';
import { argsOf, type CelNode, childrenOf, rootOf } from './cel-ast.js';
import { linearMatches } from './library-regex.js';
import { asciiCasing, chargedJoin, spaceTrimming } from './library-strings.js';
import { rewriteAccess } from './rewrite-access.js';
import { rewriteLiteralType } from './rewrite-literal-types.js';
import { rewriteMapLiteral } from './rewrite-map-literals.js';
import { rewriteQualifiedName } from './rewrite-names.js';
import { rewriteOperator } from './rewrite-operators.js';
import { rewriteRange } from './rewrite-ranges.js';
import { rewriteTimeZone } from './rewrite-time-zones.js';

/** Receiver functions whose calls go to the kernel's own implementation. */
const renamed: Readonly<Record<string, string>> = {
  matches: linearMatches,
  join: chargedJoin,
  ...asciiCasing,
  ...spaceTrimming,
};

interface Templates {
  readonly hasValueCall: CelNode;
  readonly optionalSelect: CelNode;
}

const templatesByEnvironment = new WeakMap<Environment, Templates>();

/** Nodes of `x.?y.hasValue()`, whose operators the rewrites reuse. */
function templatesFor(environment: Environment): Templates {
  const known = templatesByEnvironment.get(environment);
  if (known) return known;
  const hasValueCall = rootOf(environment.parse('x.?y.hasValue()'));
  const [, optionalSelect] = argsOf(hasValueCall);
  if (!isNode(optionalSelect)) throw new Error('the CEL library parses x.?y.hasValue() unexpectedly');
  const templates = { hasValueCall, optionalSelect };
  templatesByEnvironment.set(environment, templates);
  return templates;
}

function isNode(value: unknown): value is CelNode {
  return typeof value === 'object' && value !== null && 'op' in value;
}

function operatorOf(node: CelNode): unknown {
  return { name: node.op, check: node.meta.check, evaluate: node.meta.evaluate };
}

export function rewriteForKubernetes(environment: Environment, root: CelNode): void {
  const templates = templatesFor(environment);
  const pending: CelNode[] = [root];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    pending.push(...childrenOf(node));
    const args = argsOf(node);
    const newName = node.op === 'rcall' ? renamed[String(args[0])] : undefined;
    if (newName !== undefined && Array.isArray(node.args)) node.args[0] = newName;
    if (node.op === 'call' && args[0] === 'has') rewriteHas(node, templates);
    rewriteOperator(node);
    rewriteAccess(node);
    rewriteRange(node);
    rewriteTimeZone(node);
    rewriteQualifiedName(node, environment);
    rewriteMapLiteral(node);
    rewriteLiteralType(node);
  }
}

/** `has(a[0].b)` as `a[0].?b.hasValue()`; `has(a.b.c)` stays the library's own. */
function rewriteHas(node: CelNode, templates: Templates): void {
  const [, callArgs] = argsOf(node);
  const selected = Array.isArray(callArgs) ? callArgs[0] : undefined;
  if (!isNode(selected) || selected.op !== '.' || isFieldChain(selected)) return;
  const [operand, field] = argsOf(selected);
  const select = templates.optionalSelect.clone(operatorOf(templates.optionalSelect), [operand, field]);
  const call = templates.hasValueCall.clone(operatorOf(templates.hasValueCall), ['hasValue', select, []]);
  node.setMeta('alternate', call);
}

function isFieldChain(node: CelNode): boolean {
  let current: unknown = node;
  while (isNode(current) && (current.op === '.' || current.op === '.?')) current = argsOf(current)[0];
  return isNode(current) && current.op === 'id';
}
