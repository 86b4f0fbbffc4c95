// Patterns written as string literals in `matches`, `find` and `findAll` are compiled
// when the policy loads, as the API server compiles a ValidatingAdmissionPolicy's
// constant patterns: a pattern RE2 refuses (`'['`, a lookahead `'(?=x)'`, `'a{2,1}'`)
// stops the load naming it, instead of failing every evaluation at run time, where the
// rule's failurePolicy would decide. A pattern computed at run time is still checked
// only when evaluated.
import { RE2JS } from 're2js';
import { argsOf, type CelNode, childrenOf, isCelNode } from './cel-ast.js';
import { linearMatches } from './library-regex.js';

const patternTaking = new Set([linearMatches, 'find', 'findAll']);
const maxQuoted = 60;

/** The first literal pattern in the tree that does not compile, as a sentence; else undefined. */
export function invalidRegexLiteral(root: CelNode): string | undefined {
  const pending: CelNode[] = [root];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    pending.push(...childrenOf(node));
    const pattern = literalPattern(node);
    if (pattern === undefined) continue;
    try {
      RE2JS.compile(pattern);
    } catch (error) {
      const reason = error instanceof Error ? error.message.replace(/^error parsing regexp: /, '') : 'invalid';
      return `has a regular expression that does not compile (RE2 syntax): ${quoted(pattern)}: ${reason}`;
    }
  }
  return undefined;
}

/** `x.matches('lit')`, `x.find('lit')`, `x.findAll('lit'[, n])`: the literal. */
function literalPattern(node: CelNode): string | undefined {
  if (node.op !== 'rcall') return undefined;
  const [name, , callArgs] = argsOf(node);
  if (!patternTaking.has(String(name)) || !Array.isArray(callArgs)) return undefined;
  const first: unknown = callArgs[0];
  if (!isCelNode(first) || first.op !== 'value') return undefined;
  const value = argsOf(first)[0];
  return typeof value === 'string' ? value : undefined;
}

function quoted(pattern: string): string {
  const cut = pattern.length > maxQuoted ? `${pattern.slice(0, maxQuoted)}...` : pattern;
  return JSON.stringify(cut);
}
