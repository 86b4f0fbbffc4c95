// Custom rules in CEL, the language of Kubernetes ValidatingAdmissionPolicy, with its
// variable names: `object`, `oldObject`, `request`. Compiled when the policy loads,
// so a typo stops start-up naming the rule. Cost is bounded at compile time: a small
// expression (AST size and depth limits) with no comprehension inside another, so
// evaluation is linear in the object's size (at most a few MiB).
import { Environment } from '@marcbachmann/cel-js';
import type { Check } from '../rules/builtin-rules.js';

const environment = new Environment({
  limits: { maxAstNodes: 400, maxDepth: 32, maxListElements: 100, maxMapEntries: 100, maxCallArguments: 8 },
})
  .registerVariable('object', 'dyn')
  .registerVariable('oldObject', 'dyn')
  .registerVariable('request', 'dyn');

const comprehension = /\.\s*(all|exists|exists_one|map|filter)\s*\(/g;

export class CelRuleError extends Error {}

export function compileCelRule(ruleName: string, expression: string, message: string): Check {
  let program: ReturnType<Environment['parse']>;
  try {
    program = environment.parse(expression);
  } catch (error) {
    throw new CelRuleError(`rule ${ruleName}: the expression does not compile: ${firstLine(error)}`);
  }
  const checked = program.check();
  if (!checked.valid)
    throw new CelRuleError(`rule ${ruleName}: the expression does not type-check: ${firstLine(checked.error)}`);
  if (hasNestedComprehension(expression)) {
    throw new CelRuleError(
      `rule ${ruleName}: a comprehension (all, exists, exists_one, map, filter) inside another is not allowed; it could take quadratic time on a large object`,
    );
  }
  return ({ workload: { subject }, object, oldObject, request }) => {
    let result: unknown;
    try {
      result = program({ object, oldObject: oldObject ?? null, request: celRequest(request) });
    } catch (error) {
      return [
        {
          message: `${subject}: rule ${ruleName} could not be evaluated (${firstLine(error)}).`,
          reason: `${ruleName} could not be evaluated`,
          fix: 'Fix the object or the rule.',
        },
      ];
    }
    if (result === true) return [];
    const detail = result === false ? message : `${message} (the rule did not give true or false)`;
    return [{ message: `${subject}: ${detail}`, reason: detail, fix: 'See the rule in the admission policy.' }];
  };
}

/** The request fields a ValidatingAdmissionPolicy sees under `request`. */
function celRequest(request: import('../admission-review.js').AdmissionRequest) {
  return {
    uid: request.uid,
    kind: request.kind,
    resource: request.resource,
    subResource: request.subResource ?? '',
    name: request.name ?? '',
    namespace: request.namespace ?? '',
    operation: request.operation,
    userInfo: { username: request.userInfo?.username ?? '', groups: request.userInfo?.groups ?? [] },
    dryRun: request.dryRun === true,
  };
}

/** Whether a comprehension call opens while another one's parentheses are still open. */
function hasNestedComprehension(expression: string): boolean {
  const openAt: number[] = [];
  for (const match of expression.matchAll(comprehension)) openAt.push((match.index ?? 0) + match[0].length - 1);
  for (const start of openAt) {
    let depth = 0;
    for (let index = start; index < expression.length; index++) {
      if (expression[index] === '(') depth++;
      else if (expression[index] === ')' && --depth === 0) {
        if (openAt.some((other) => other > start && other < index)) return true;
        break;
      }
    }
  }
  return false;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'unknown error';
}
