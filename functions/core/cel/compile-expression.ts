// One CEL expression of a rule, compiled when the policy loads: parsed, rewritten for
// Kubernetes (rewrite-ast.ts), type-checked against the type its place needs (bool for
// a validation, string for a message), its worst-case cost estimated, and every
// evaluation step charged to the runtime budget. Each failure is a sentence that the
// caller prefixes with the rule and the expression's place.
import { type CelNode, fieldsSelectedFrom, rootOf } from './cel-ast.js';
import { celEnvironment } from './cel-environment.js';
import { type EstimateScope, estimateCost } from './cost-estimate.js';
import { compileFast } from './fast/compile-fast.js';
import type { FastProgram } from './fast/fast-program.js';
import { invalidRegexLiteral } from './regex-literals.js';
import { notOfType } from './result-type.js';
import { rewriteForKubernetes } from './rewrite-ast.js';
import { chargeEveryStep } from './runtime-budget.js';

export type ExpectedType = 'bool' | 'string' | 'any';

export interface CompiledExpression {
  readonly text: string;
  readonly cost: number;
  /** Its worst-case result size, for the estimates of expressions that name it. */
  readonly size: number;
  /** The most elements of its result, when it is a list whose length the estimate bounds. */
  readonly count?: number | undefined;
  evaluate(activation: Record<string, unknown>): unknown;
  /** The same expression compiled to JavaScript over unconverted objects, where fast/ covers it. */
  readonly fast?: FastProgram | undefined;
}

export class CelCompileError extends Error {}

export interface CompileOptions {
  readonly expected: ExpectedType;
  readonly scope: EstimateScope;
  readonly costLimit: number;
  /** The rule's variables declared before the expression, in order. */
  readonly variables?: readonly string[];
}

export function compileExpression(text: string, options: CompileOptions): CompiledExpression {
  const { program, root, type } = parseChecked(text);
  const mismatch = notOfType(root, type, options.expected);
  if (mismatch) throw new CelCompileError(mismatch);
  const undeclared = fieldsSelectedFrom(root, 'variables').find(
    (name) => !options.scope.sizes.has(`variables.${name}`),
  );
  if (undeclared !== undefined)
    throw new CelCompileError(`names variables.${undeclared}, which is not declared before it in variables`);
  const { cost, size, count } = estimateWithin(root, options);
  const fast = compileFast(root, options.variables ?? []);
  return { text, cost, size, count, evaluate: (activation) => program(activation), fast };
}

type Program = ReturnType<ReturnType<typeof celEnvironment>['parse']>;

interface ParsedExpression {
  readonly program: Program;
  readonly root: CelNode;
  readonly type: string | undefined;
}

/**
 * Expressions parsed, rewritten, type-checked and made to charge the budget, by their
 * text: the same text in several rules (the Pod Security rules share their
 * `containers`) is worked on once. What depends on the place (the type it must give,
 * the variables declared before it, the cost estimate) is checked at each place. A
 * program keeps no state between evaluations, so rules may share it.
 */
const parsedByText = new Map<string, ParsedExpression>();
const maxParsedTexts = 4096;

function parseChecked(text: string): ParsedExpression {
  const known = parsedByText.get(text);
  if (known !== undefined) return known;
  const environment = celEnvironment();
  let program: Program;
  try {
    program = environment.parse(text);
  } catch (error) {
    throw new CelCompileError(`does not compile: ${firstLine(error)}`);
  }
  const root = rootOf(program);
  rewriteForKubernetes(environment, root);
  const checked = program.check();
  if (!checked.valid) throw new CelCompileError(`does not type-check: ${firstLine(checked.error)}`);
  const badPattern = invalidRegexLiteral(root);
  if (badPattern !== undefined) throw new CelCompileError(badPattern);
  chargeEveryStep(root);
  const parsed = { program, root, type: checked.type };
  if (parsedByText.size >= maxParsedTexts) parsedByText.clear(); // a bound for a process that loads many policies
  parsedByText.set(text, parsed);
  return parsed;
}

function estimateWithin(root: CelNode, options: CompileOptions) {
  let estimate: ReturnType<typeof estimateCost>;
  try {
    estimate = estimateCost(root, options.scope);
  } catch (error) {
    throw new CelCompileError(`is too costly: ${firstLine(error)}`);
  }
  if (estimate.cost > options.costLimit) {
    throw new CelCompileError(
      `is too costly: its worst case is an estimated ${formatUnits(estimate.cost)} cost units, over the limit of ${formatUnits(options.costLimit)} (objects may be 3 MiB: a comprehension inside another over lists of the object multiplies their lengths)`,
    );
  }
  return estimate;
}

function formatUnits(units: number): string {
  return units >= 1e15 ? units.toExponential(1) : Math.round(units).toLocaleString('en-US');
}

export function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'unknown error';
}
