// A CEL rule's expressions compiled together when the policy loads: variables first
// (in order, so each may name those before it), then matchConditions, validations and
// messageExpressions. Each error names the rule and the expression's place.
import type { NamedExpression } from './activation.js';
import { toCelValue } from './cel-values.js';
import {
  CelCompileError,
  type CompiledExpression,
  compileExpression,
  type ExpectedType,
} from './compile-expression.js';
import { defaultCostLimit, maxObjectBytes } from './cost-estimate.js';
import { type FastVariable, fastVariable } from './fast/fast-scope.js';
import { defaultReviewBudget, defaultRuntimeBudget } from './runtime-budget.js';

export interface CelRuleSource {
  readonly name: string;
  readonly expression?: string | undefined;
  readonly message?: string | undefined;
  readonly variables: readonly { readonly name: string; readonly expression: string }[];
  readonly validations: readonly {
    readonly expression: string;
    readonly message?: string | undefined;
    readonly messageExpression?: string | undefined;
    readonly reason?: string | undefined;
  }[];
  readonly matchConditions: readonly { readonly name: string; readonly expression: string }[];
  readonly params?: unknown;
}

export interface CelLimits {
  /** Estimated worst-case units one expression may cost (checked when the policy loads). */
  readonly costLimit: number;
  /** Units one evaluation of the rule may spend (checked as it runs). */
  readonly runtimeBudget: number;
  /** Units all CEL rules may spend on one review together. */
  readonly reviewBudget: number;
  /** `interpreted` leaves the compiled form (fast/) out: the tests compare the two. Default: compiled. */
  readonly engine?: 'compiled' | 'interpreted';
}

export const defaultCelLimits: CelLimits = {
  costLimit: defaultCostLimit,
  runtimeBudget: defaultRuntimeBudget,
  reviewBudget: defaultReviewBudget,
};

export interface CompiledValidation {
  readonly expression: CompiledExpression;
  readonly message: string | undefined;
  readonly messageExpression: CompiledExpression | undefined;
  readonly reason: string | undefined;
}

export interface RuleProgram {
  readonly params: unknown;
  readonly variables: readonly NamedExpression[];
  readonly matchConditions: readonly NamedExpression[];
  readonly validations: readonly CompiledValidation[];
  /** The short form (`expression` and `message`): its messages stay as they were. */
  readonly shortForm: boolean;
  /** The rule in compiled form (fast/), when it covers every expression of the rule. */
  readonly fast: FastRule | undefined;
}

export interface FastRule {
  /** The params as the policy file gives them (JSON), not converted. */
  readonly params: unknown;
  readonly variables: readonly FastVariable[];
}

export function compileRuleProgram(rule: CelRuleSource, limits: CelLimits): RuleProgram {
  const shortForm = rule.expression !== undefined;
  if (shortForm && rule.validations.length > 0)
    throw new Error(`rule ${rule.name}: set expression and message, or validations, not both`);
  if (!shortForm && rule.validations.length === 0)
    throw new Error(`rule ${rule.name}: a CEL rule needs an expression and a message, or validations`);
  if (shortForm && rule.message === undefined) throw new Error(`rule ${rule.name}: the expression needs a message`);
  if (!shortForm && rule.message !== undefined)
    throw new Error(`rule ${rule.name}: message goes with expression; give each validation its own message`);
  const paramsJson = rule.params === undefined ? 'null' : JSON.stringify(rule.params);
  const sizes = new Map<string, number>([
    ['object', maxObjectBytes],
    ['oldObject', maxObjectBytes],
    ['request', maxObjectBytes],
    ['namespaceObject', maxObjectBytes],
    ['params', paramsJson.length],
  ]);
  const counts = new Map<string, number>();
  const declared: string[] = [];
  const compile = (place: string, text: string, expected: ExpectedType) => {
    try {
      const scope = { sizes, counts, depth: 0, params: rule.params };
      return compileExpression(text, { expected, scope, costLimit: limits.costLimit, variables: [...declared] });
    } catch (error) {
      if (error instanceof CelCompileError) throw new Error(`rule ${rule.name}: ${place} ${error.message}`);
      throw error;
    }
  };
  const variables = compileVariables(rule, { sizes, counts, declared }, compile);
  const validations = shortForm
    ? [{ expression: rule.expression ?? '', message: rule.message, messageExpression: undefined, reason: undefined }]
    : rule.validations;
  const program = {
    params: toCelValue(rule.params ?? null),
    variables,
    matchConditions: rule.matchConditions.map(({ name, expression }, index) => ({
      name,
      compiled: compile(`matchConditions[${index}] (${name})`, expression, 'bool'),
    })),
    validations: validations.map((validation, index) => {
      const place = shortForm ? 'the expression' : `validations[${index}].expression`;
      return {
        expression: compile(place, validation.expression, 'bool'),
        message: validation.message,
        messageExpression:
          validation.messageExpression === undefined
            ? undefined
            : compile(`validations[${index}].messageExpression`, validation.messageExpression, 'string'),
        reason: validation.reason,
      };
    }),
    shortForm,
  };
  return { ...program, fast: limits.engine === 'interpreted' ? undefined : fastRuleOf(program, rule.params ?? null) };
}

/** The compiled form of the rule, if every expression has one and the params are plain JSON. */
function fastRuleOf(program: Omit<RuleProgram, 'fast'>, params: unknown): FastRule | undefined {
  const others = [
    ...program.matchConditions.map(({ compiled }) => compiled),
    ...program.validations.flatMap(({ expression, messageExpression }) =>
      messageExpression === undefined ? [expression] : [expression, messageExpression],
    ),
  ];
  if (!isPlainJson(params, 0) || others.some(({ fast }) => fast === undefined)) return undefined;
  const variables: FastVariable[] = [];
  for (const { compiled } of program.variables) {
    if (compiled.fast === undefined) return undefined;
    variables.push(fastVariable(compiled.text, compiled.fast));
  }
  return { params, variables };
}

/** JSON as the compiled form reads it: plain objects, arrays, strings, finite numbers, bools, null. */
function isPlainJson(value: unknown, depth: number): boolean {
  if (depth > 64) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((element) => isPlainJson(element, depth + 1));
  if (typeof value !== 'object' || value.constructor !== Object) return false;
  return Object.entries(value).every(([key, field]) => key !== '__proto__' && isPlainJson(field, depth + 1));
}

type Compile = (place: string, text: string, expected: ExpectedType) => CompiledExpression;

interface VariableEstimates {
  readonly sizes: Map<string, number>;
  readonly counts: Map<string, number>;
  /** The names declared so far, in order: what the next expression may name. */
  readonly declared: string[];
}

function compileVariables(rule: CelRuleSource, estimates: VariableEstimates, compile: Compile): NamedExpression[] {
  const seen = new Set<string>();
  return rule.variables.map(({ name, expression }, index) => {
    if (seen.has(name)) throw new Error(`rule ${rule.name}: variables[${index}] (${name}) is named twice`);
    seen.add(name);
    const compiled = compile(`variables[${index}] (${name})`, expression, 'any');
    estimates.sizes.set(`variables.${name}`, compiled.size);
    if (compiled.count !== undefined) estimates.counts.set(`variables.${name}`, compiled.count);
    estimates.declared.push(name);
    return { name, compiled };
  });
}
