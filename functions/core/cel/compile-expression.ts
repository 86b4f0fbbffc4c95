// One CEL expression of a rule, compiled when the policy loads: parsed, rewritten for
// Kubernetes (rewrite-ast.ts), type-checked against the type its place needs (bool for
// a validation, string for a message), its worst-case cost estimated, and every
// evaluation step charged to the runtime budget. Each failure is a sentence that the
// caller prefixes with the rule and the expression's place.
import { fieldsSelectedFrom, rootOf } from './cel-ast.js';
import { celEnvironment } from './cel-environment.js';
import { type EstimateScope, estimateCost } from './cost-estimate.js';
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
}

export class CelCompileError extends Error {}

export interface CompileOptions {
  readonly expected: ExpectedType;
  readonly scope: EstimateScope;
  readonly costLimit: number;
}

export function compileExpression(text: string, options: CompileOptions): CompiledExpression {
  const environment = celEnvironment();
  let program: ReturnType<typeof environment.parse>;
  try {
    program = environment.parse(text);
  } catch (error) {
    throw new CelCompileError(`does not compile: ${firstLine(error)}`);
  }
  const root = rootOf(program);
  rewriteForKubernetes(environment, root);
  const checked = program.check();
  if (!checked.valid) throw new CelCompileError(`does not type-check: ${firstLine(checked.error)}`);
  const mismatch = notOfType(root, checked.type, options.expected);
  if (mismatch) throw new CelCompileError(mismatch);
  const undeclared = fieldsSelectedFrom(root, 'variables').find(
    (name) => !options.scope.sizes.has(`variables.${name}`),
  );
  if (undeclared !== undefined)
    throw new CelCompileError(`names variables.${undeclared}, which is not declared before it in variables`);
  const { cost, size, count } = estimateWithin(root, options);
  chargeEveryStep(root);
  return { text, cost, size, count, evaluate: (activation) => program(activation) };
}

function estimateWithin(root: ReturnType<typeof rootOf>, options: CompileOptions) {
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
