// Two-variable comprehensions (cel-go's ext.TwoVarComprehensions, in Kubernetes' CEL
// environment since 1.33): over a list the index and the element, over a map the key
// and the value. `all(i, v, p)`, `exists(i, v, p)`, `existsOne(i, v, p)`,
// `transformList(i, v, [filter,] e)`, `transformMap(k, v, [filter,] e)`. Their bodies
// are argument nodes of the call, so the runtime budget charges every step
// (runtime-budget.ts) and the cost estimate multiplies them by the list's length
// (cost-estimate.ts names these macros).
import type { Environment } from '@marcbachmann/cel-js';
import { BudgetExceeded } from './runtime-budget.js';

export const twoVariableMacros = ['all', 'exists', 'existsOne', 'transformList', 'transformMap'] as const;
type MacroName = (typeof twoVariableMacros)[number];

// Trust boundary: the library's macro API (lib/macros.js: has, cel.bind) hands these
// objects to a macro's typeCheck and evaluate; only the members used here are typed.
interface Context {
  forkWithVariable(name: string, type: unknown): Context;
  reuse(parent: Context): Context;
  setIterValue(value: unknown, evaluator: Evaluator): Context;
}
interface Type {
  readonly kind: string;
  readonly name: string;
  readonly keyType?: Type;
  readonly valueType?: Type;
}
interface Checker {
  check(node: unknown, context: Context): Type;
  getType(name: string): Type;
  createError(code: string, message: string, node: unknown): Error;
  readonly registry: { getListType(value: Type): Type; getMapType(key: Type, value: Type): Type };
}
interface Evaluator {
  run(node: unknown, context: Context): unknown;
}
interface Macro {
  readonly name: MacroName;
  readonly receiver: unknown;
  readonly names: readonly [string, string];
  readonly body: readonly unknown[];
  keyContext?: Context;
  valueContext?: Context;
}

function identifier(node: unknown, macro: string): string {
  const isName = typeof node === 'object' && node !== null && Reflect.get(node, 'op') === 'id';
  const name: unknown = isName ? Reflect.get(node, 'args') : undefined;
  if (typeof name !== 'string') throw new Error(`${macro}(): the first two arguments must be names`);
  return name;
}

function contextsOf(macro: Macro): { keyContext: Context; valueContext: Context } {
  const { keyContext, valueContext } = macro;
  if (!keyContext || !valueContext) throw new Error(`${macro.name}() was evaluated before it was checked`);
  return { keyContext, valueContext };
}

function typeCheck(checker: Checker, macro: Macro, context: Context): Type {
  const receiver = checker.check(macro.receiver, context);
  const dyn = checker.getType('dyn');
  const keyType = receiver.kind === 'list' ? checker.getType('int') : (receiver.keyType ?? dyn);
  macro.keyContext = context.forkWithVariable(macro.names[0], keyType);
  macro.valueContext = macro.keyContext.forkWithVariable(macro.names[1], receiver.valueType ?? dyn);
  const { valueContext } = contextsOf(macro);
  const types = macro.body.map((node) => checker.check(node, valueContext));
  const last = types.at(-1) ?? dyn;
  const conditions = macro.name.startsWith('transform') ? types.slice(0, -1) : types;
  if (conditions.some((type) => type.name !== 'bool' && type.name !== 'dyn'))
    throw checker.createError('invalid_macro_argument', `${macro.name}() needs a bool condition`, macro.receiver);
  if (macro.name === 'transformList') return checker.registry.getListType(last);
  if (macro.name === 'transformMap') return checker.registry.getMapType(keyType, last);
  return checker.getType('bool');
}

function entriesOf(collection: unknown): [unknown, unknown][] {
  if (Array.isArray(collection)) return collection.map((item, index) => [BigInt(index), item]);
  if (collection instanceof Map) return [...collection.entries()];
  if (typeof collection === 'object' && collection !== null) return Object.entries(collection);
  throw new Error('a two-variable comprehension needs a list or a map');
}

function evaluate(evaluator: Evaluator, macro: Macro, context: Context): unknown {
  const { keyContext, valueContext } = contextsOf(macro);
  const keys = keyContext.reuse(context);
  const values = valueContext.reuse(keys);
  const results: unknown[][] = [];
  let firstError: unknown;
  for (const [key, value] of entriesOf(evaluator.run(macro.receiver, context))) {
    values.setIterValue(value, evaluator);
    keys.setIterValue(key, evaluator);
    try {
      const outcome = evaluateBody(evaluator, macro, values);
      if (macro.name === 'all' && outcome[0] === false) return false;
      if (macro.name === 'exists' && outcome[0] === true) return true;
      results.push([key, ...outcome]);
    } catch (error) {
      if (error instanceof BudgetExceeded || (macro.name !== 'all' && macro.name !== 'exists')) throw error;
      firstError ??= error;
    }
  }
  if (firstError !== undefined) throw firstError;
  return summarize(macro, results);
}

/**
 * The body's results for one element. A transform's filter that does not hold ends it
 * there, as in cel-go: `transformList(k, v, k.size() > 3, k.substring(3))` does not
 * evaluate the transform (which would fail) for a shorter key.
 */
function evaluateBody(evaluator: Evaluator, macro: Macro, values: Context): unknown[] {
  const outcome: unknown[] = [];
  for (const node of macro.body) {
    outcome.push(evaluator.run(node, values));
    if (filtered(macro) && outcome.length === 1 && outcome[0] !== true) break;
  }
  return outcome;
}

/** Whether the macro is a transform with a filter. */
function filtered(macro: Macro): boolean {
  return macro.name.startsWith('transform') && macro.body.length === 2;
}

function summarize(macro: Macro, results: readonly unknown[][]): unknown {
  const { name } = macro;
  if (name === 'all') return true;
  if (name === 'exists') return false;
  if (name === 'existsOne') return results.filter((result) => result[1] === true).length === 1;
  const kept = filtered(macro) ? results.filter((result) => result[1] === true) : results;
  const value = (result: readonly unknown[]) => result.at(-1);
  if (name === 'transformList') return kept.map(value);
  return new Map(kept.map((result) => [result[0], value(result)]));
}

function expander(name: MacroName) {
  return ({ args, receiver }: { args: unknown[]; receiver: unknown }) => {
    const [first, second, ...body] = args;
    const names: [string, string] = [identifier(first, name), identifier(second, name)];
    const macro: Macro = { name, receiver, names, body };
    return { ...macro, async: false, typeCheck, evaluate };
  };
}

export function registerTwoVariable(environment: Environment): Environment {
  let extended = environment;
  for (const name of twoVariableMacros) {
    const signatures = name.startsWith('transform') ? ['ast, ast, ast', 'ast, ast, ast, ast'] : ['ast, ast, ast'];
    const result = name === 'transformList' ? 'list' : name === 'transformMap' ? 'map' : 'bool';
    for (const parameters of signatures)
      extended = extended.registerFunction(`dyn.${name}(${parameters}): ${result}`, expander(name));
  }
  return extended;
}
