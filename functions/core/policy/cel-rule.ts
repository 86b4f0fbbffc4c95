// Custom rules in CEL, the language of Kubernetes ValidatingAdmissionPolicy: compiled
// when the policy loads (functions/core/cel/: parse, type check, worst-case cost), run
// here on each review within a runtime cost budget. An expression that fails, gives
// the wrong type or runs out of budget answers per the rule's failurePolicy: Fail
// finds a violation that says why, Ignore skips the rule.
import { buildActivation, releaseVariables } from '../cel/activation.js';
import { celTypeName } from '../cel/cel-values.js';
import { firstLine } from '../cel/compile-expression.js';
import {
  type CelLimits,
  type CelRuleSource,
  type CompiledValidation,
  compileRuleProgram,
  defaultCelLimits,
  type RuleProgram,
} from '../cel/compile-rule-program.js';
import { type Evaluator, fastScope } from '../cel/fast/fast-scope.js';
import { Deopt } from '../cel/fast/fast-values.js';
import { accountOf, Budget, BudgetExceeded, remainingFor, withBudget } from '../cel/runtime-budget.js';
import type { Check } from '../rules/builtin-rules.js';
import type { FailurePolicy, RuleInput, Violation } from '../rules/rule.js';

export type { CelLimits, CelRuleSource };

class WrongType extends Error {}

export function compileCelRule(
  rule: CelRuleSource & { readonly failurePolicy?: FailurePolicy },
  limits: CelLimits = defaultCelLimits,
): Check {
  const program = compileRuleProgram(rule, limits);
  const failurePolicy = rule.failurePolicy ?? 'Fail';
  return (input: RuleInput) => {
    const account = input.review ?? accountOf(input.request);
    const budget = new Budget(remainingFor(account, limits.reviewBudget, limits.runtimeBudget));
    let violations: readonly Violation[] | undefined;
    let failure: unknown;
    try {
      violations = withBudget(budget, () => evaluateEitherWay(program, input, budget));
    } catch (error) {
      failure = error;
    }
    account.celUnitsSpent += budget.spent;
    if (violations !== undefined && !budget.exceeded) return violations;
    if (failurePolicy === 'Ignore') return [];
    return [cannotEvaluate(rule.name, input, budget, failure ?? new BudgetExceeded(budget.limit), limits)];
  };
}

/**
 * The rule in compiled form where it has one (fast/), else, or when the compiled form
 * gives the case back (Deopt), by the interpreter. The interpreter starts from the
 * units spent before the compiled form ran, so a rule costs the same units either way
 * (the compiled attempt, itself within the budget, costs a fraction of the time).
 */
function evaluateEitherWay(program: RuleProgram, input: RuleInput, budget: Budget): readonly Violation[] {
  if (program.fast !== undefined) {
    const spent = budget.spent;
    try {
      return evaluateRule(program, input, fastScope(budget, program.fast.params, input, program.fast.variables));
    } catch (error) {
      if (!(error instanceof Deopt)) throw error;
      budget.spent = spent;
    }
  }
  const activation = buildActivation(input, program.params, program.variables);
  try {
    return evaluateRule(program, input, { evaluate: (expression) => expression.evaluate(activation) });
  } finally {
    releaseVariables(program.variables);
  }
}

function evaluateRule(program: RuleProgram, input: RuleInput, evaluator: Evaluator): readonly Violation[] {
  for (const condition of program.matchConditions) {
    const result = evaluator.evaluate(condition.compiled);
    if (typeof result !== 'boolean')
      throw new WrongType(`matchCondition ${condition.name} gave ${celTypeName(result)}, not true or false`);
    if (!result) return [];
  }
  const violations: Violation[] = [];
  for (const validation of program.validations) {
    const result = evaluator.evaluate(validation.expression);
    if (result === true) continue;
    if (result !== false) {
      if (program.shortForm) {
        violations.push(violationOf(input, `${validation.message ?? ''} (the rule did not give true or false)`));
        continue;
      }
      throw new WrongType(`a validation gave ${celTypeName(result)}, not true or false`);
    }
    violations.push(violationOf(input, messageOf(validation, evaluator)));
  }
  return violations;
}

/** The messageExpression's string, else the message, else the API server's default. */
function messageOf(validation: CompiledValidation, evaluator: Evaluator): string {
  const fallback = validation.message ?? `failed expression: ${validation.expression.text}`;
  if (validation.messageExpression === undefined) return withReason(fallback, validation.reason);
  let text: unknown;
  try {
    text = evaluator.evaluate(validation.messageExpression);
  } catch (error) {
    if (error instanceof BudgetExceeded || error instanceof Deopt) throw error;
    text = undefined; // as the API server: a failing messageExpression falls back to the message
  }
  const message = typeof text === 'string' && text.trim() !== '' ? text.replace(/\s+/g, ' ').slice(0, 500) : fallback;
  return withReason(message, validation.reason);
}

function withReason(message: string, reason: string | undefined): string {
  return reason === undefined ? message : `${message} (${reason})`;
}

function violationOf(input: RuleInput, detail: string): Violation {
  return {
    message: `${input.workload.subject}: ${detail}`,
    reason: detail,
    fix: 'See the rule in the admission policy.',
  };
}

function cannotEvaluate(
  ruleName: string,
  input: RuleInput,
  budget: Budget,
  error: unknown,
  limits: CelLimits,
): Violation {
  const overBudget = budget.exceeded || error instanceof BudgetExceeded;
  const why = !overBudget
    ? firstLine(error)
    : budget.limit < limits.runtimeBudget
      ? `the CEL rules before it spent most of the review's cost budget of ${limits.reviewBudget.toLocaleString('en-US')} units; the object is too large or the rules too costly`
      : `it went over its cost budget of ${budget.limit.toLocaleString('en-US')} units; the object is too large or the rule too costly`;
  return {
    message: `${input.workload.subject}: rule ${ruleName} could not be evaluated (${why}).`,
    reason: `${ruleName} could not be evaluated`,
    fix: 'Fix the object or the rule.',
  };
}
