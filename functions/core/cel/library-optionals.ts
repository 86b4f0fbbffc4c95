// The optional helpers that take an expression, as cel-go has them:
// `opt.optMap(x, e)` (optional.of(e) with x bound to the value, or none) and
// `opt.optFlatMap(x, e)` (e itself, an optional, or none). The body is an argument node
// of the call, so the runtime budget charges it and the cost estimate counts it once.
// Also `optional.entriesOf`, what optional entries of literals (`[?x]`) are written as.
import { type Environment, Optional } from '@marcbachmann/cel-js';

// Trust boundary: the library's macro API (lib/macros.js: has, cel.bind) hands these
// objects to a macro's typeCheck and evaluate; only the members used here are typed.
interface Context {
  forkWithVariable(name: string, type: unknown): Context;
  reuse(parent: Context): Context;
  setIterValue(value: unknown, evaluator: Evaluator): Context;
}
interface Type {
  readonly kind: string;
  readonly valueType?: Type;
}
interface Checker {
  check(node: unknown, context: Context): Type;
  getType(name: string): Type;
  createError(code: string, message: string, node: unknown): Error;
  readonly registry: { getOptionalType(value: Type): Type };
}
interface Evaluator {
  run(node: unknown, context: Context): unknown;
}
interface Macro {
  readonly flat: boolean;
  readonly receiver: unknown;
  readonly name: string;
  readonly body: unknown;
  bodyContext?: Context;
}

function typeCheck(checker: Checker, macro: Macro, context: Context): Type {
  const receiver = checker.check(macro.receiver, context);
  const valueType = receiver.kind === 'optional' ? receiver.valueType : undefined;
  macro.bodyContext = context.forkWithVariable(macro.name, valueType ?? checker.getType('dyn'));
  const body = checker.check(macro.body, macro.bodyContext);
  if (!macro.flat) return checker.registry.getOptionalType(body);
  if (body.kind !== 'optional' && body.kind !== 'dyn')
    throw checker.createError(
      'invalid_macro_argument',
      'optFlatMap() needs an expression giving an optional',
      macro.body,
    );
  return body;
}

function evaluate(evaluator: Evaluator, macro: Macro, context: Context): unknown {
  const optional = evaluator.run(macro.receiver, context);
  if (!(optional instanceof Optional)) throw new Error('optMap and optFlatMap need an optional');
  if (!optional.hasValue() || macro.bodyContext === undefined) return Optional.none();
  const bound = macro.bodyContext.reuse(context).setIterValue(optional.value(), evaluator);
  const result = evaluator.run(macro.body, bound);
  return macro.flat ? result : Optional.of(result);
}

function expander(flat: boolean) {
  return ({ args, receiver }: { args: unknown[]; receiver: unknown }) => {
    const [variable, body] = args;
    const isName = typeof variable === 'object' && variable !== null && Reflect.get(variable, 'op') === 'id';
    const name: unknown = isName ? Reflect.get(variable, 'args') : undefined;
    if (typeof name !== 'string') throw new Error('optMap() and optFlatMap() need a name as their first argument');
    const macro: Macro = { flat, receiver, name, body };
    return { ...macro, args, async: false, typeCheck, evaluate };
  };
}

/** The values of a list's present optionals, in order: `[?x, y]` (cel-source-entries.ts). */
function presentItems(_: unknown, items: readonly unknown[]): unknown[] {
  return items.filter((item) => optionalOf(item).hasValue()).map((item) => optionalOf(item).value());
}

/** A map without its entries whose optional is empty, the others' values unwrapped: `{?k: v}`. */
function presentEntries(_: unknown, map: Map<unknown, unknown> | Record<string, unknown>): unknown {
  const entries = map instanceof Map ? [...map.entries()] : Object.entries(map);
  const present = entries.filter(([, value]) => optionalOf(value).hasValue());
  const unwrapped = present.map(([key, value]): [unknown, unknown] => [key, optionalOf(value).value()]);
  return map instanceof Map ? new Map(unwrapped) : Object.fromEntries(unwrapped);
}

function optionalOf(value: unknown): Optional {
  if (!(value instanceof Optional)) throw new Error('an optional entry needs an optional value');
  return value;
}

export function registerOptionalMacros(environment: Environment): Environment {
  return environment
    .registerFunction('OptionalNamespace.entriesOf(list<optional<T>>): list<T>', presentItems)
    .registerFunction('OptionalNamespace.entriesOf(map<K, optional<V>>): map<K, V>', presentEntries)
    .registerFunction('dyn.optMap(ast, ast): dyn', expander(false))
    .registerFunction('dyn.optFlatMap(ast, ast): dyn', expander(true));
}
