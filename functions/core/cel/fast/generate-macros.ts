// The macros of compiled CEL: has(), filter, map, all and exists (the library expands
// them into a comprehension, lib/macros.js) and transformList (library-two-variable.ts),
// as loops. Each charges what the interpreter's expansion charges: the comprehension
// node, its start value, and per element the step's own nodes (a ternary, a push of
// the element, or the unchanged accumulator) besides the nodes of the predicate.
import { argsOf, type CelNode, comprehensionParts } from '../cel-ast.js';
import { isSized } from '../runtime-budget.js';
import type { Emitter } from './fast-emitter.js';
import { type Generate, type Names, nodeAt, Unsupported } from './fast-program.js';
import { plainValue, readOptionalPath, readsInline, testPath } from './inline-access.js';

interface Loop {
  readonly names: Names;
  readonly out: Emitter;
  readonly generate: Generate;
  readonly cell: string;
  readonly result: string;
  readonly body: readonly CelNode[];
}

export function generateMacro(node: CelNode, names: Names, out: Emitter, generate: Generate): string | undefined {
  const [name, ...rest] = argsOf(node);
  if (node.op === 'call' && name === 'has') return has(node, names, out, generate);
  if (node.op !== 'rcall') return undefined;
  const given = Array.isArray(rest[1]) ? rest[1] : [];
  const { alternate } = node.meta;
  const parts = alternate === undefined ? undefined : comprehensionParts(alternate);
  if (alternate !== undefined && parts !== undefined) {
    const step = steps[`${String(name)}/${given.length}`];
    if (step === undefined) throw new Unsupported(`the macro ${String(name)}`);
    out.charge(1); // the comprehension node
    const items = out.assign(`h.rangeOf(${generate(parts.iterable, names, out)})`);
    out.charge(1); // the accumulator's start value
    const [cell, index, result] = [out.temp(), out.temp(), out.temp()];
    const inner = { variables: names.variables, cells: new Map([...names.cells, [nameOf(given[0]), cell]]) };
    const body = given.slice(1).map(nodeAt);
    step(
      { names: inner, out, generate, cell, result, body },
      `for (${index} = 0; ${index} < ${items}.length; ${index}++) {`,
      `${cell} = ${items}[${index}]; if (!${plainValue(cell)}) h.checked(${cell});`,
    );
    if (isSized(alternate)) out.emit(`b.charge(h.units(${result}));`);
    return result;
  }
  if (name === 'transformList' && node.meta.macro !== undefined)
    return transformList(rest[0], given, names, out, generate);
  if (name === 'orValue' && given.length === 1) return orValue(rest[0], given[0], names, out, generate);
  return undefined;
}

/**
 * `opt.orValue(x)`, a macro in the library: `x` is evaluated only when the optional is
 * empty. On a chain of optional fields (`a.?b.?c.orValue(x)`), the fields are read
 * without making the optionals, each node charged as the interpreter charges it.
 */
function orValue(receiver: unknown, fallback: unknown, names: Names, out: Emitter, generate: Generate): string {
  const chain = optionalChain(nodeAt(receiver));
  let found: string;
  if (chain === undefined) {
    const optional = out.assign(`h.optionalOf(${generate(nodeAt(receiver), names, out)})`);
    found = out.assign(`${optional}.hasValue() ? ${optional}.value() : h.none`);
  } else {
    out.charge(chain.fields.length);
    const root = generate(chain.root, names, out);
    const helper = `h.optionalPath(${root}, ${out.constant(chain.fields)})`;
    found = readsInline(chain.fields) ? readOptionalPath(out, root, chain.fields, helper) : out.assign(helper);
  }
  const result = out.temp();
  out.emit(`if (${found} !== h.none) ${result} = ${found}; else {`);
  out.emit(`${result} = ${generate(nodeAt(fallback), names, out)};`);
  out.emit('}');
  return result;
}

/** `root.?a.?b` as its root and fields, when no node of it charges its size. */
function optionalChain(node: CelNode): { root: CelNode; fields: string[] } | undefined {
  const fields: string[] = [];
  let current = node;
  while (current.op === '.?' && !isSized(current)) {
    fields.unshift(String(argsOf(current)[1]));
    current = nodeAt(argsOf(current)[0]);
  }
  return fields.length > 0 && current.op !== '.?' ? { root: current, fields } : undefined;
}

function nameOf(value: unknown): string {
  const node = nodeAt(value);
  if (node.op !== 'id') throw new Unsupported('a macro variable that is not a name');
  return String(node.args);
}

type Step = (loop: Loop, head: string, bind: string) => void;

const steps: Readonly<Record<string, Step>> = {
  'filter/2': ({ names, out, generate, cell, result, body: [predicate] }, head, bind) => {
    out.emit(`${result} = [];`);
    out.emit(head);
    out.emit(bind);
    out.charge(1);
    out.emit(
      `if (h.asBool(${generate(nodeAt(predicate), names, out)})) { b.charge(2); ${result}.push(${cell}); } else b.charge(1);`,
    );
    out.emit('}');
  },
  'map/2': ({ names, out, generate, result, body: [transform] }, head, bind) => {
    out.emit(`${result} = [];`);
    out.emit(head);
    out.emit(bind);
    out.charge(1);
    out.emit(`${result}.push(${generate(nodeAt(transform), names, out)});`);
    out.emit('}');
  },
  'map/3': ({ names, out, generate, result, body: [predicate, transform] }, head, bind) => {
    out.emit(`${result} = [];`);
    out.emit(head);
    out.emit(bind);
    out.charge(1);
    out.emit(`if (h.asBool(${generate(nodeAt(predicate), names, out)})) {`);
    out.charge(1);
    out.emit(`${result}.push(${generate(nodeAt(transform), names, out)});`);
    out.emit('} else b.charge(1);');
    out.emit('}');
  },
  'all/2': (loop, head, bind) => quantify(loop, head, bind, false),
  'exists/2': (loop, head, bind) => quantify(loop, head, bind, true),
};

/**
 * `all` (decided by a false) and `exists` (by a true): an element's CEL error is kept
 * and thrown only if no element decides, as the library's quantifier does.
 */
function quantify(
  { names, out, generate, result, body: [predicate] }: Loop,
  head: string,
  bind: string,
  deciding: boolean,
) {
  const [error, step] = [out.temp(), out.temp()];
  out.emit(`${result} = ${!deciding}; ${error} = undefined;`);
  out.emit(head);
  out.emit(`if (${result} === ${deciding}) break;`);
  out.emit(bind);
  out.charge(1);
  out.emit('try {');
  out.emit(`${step} = h.asBool(${generate(nodeAt(predicate), names, out)});`);
  out.emit(`b.charge(1); ${result} = ${step};`);
  out.emit(`} catch (e) { if (!(e instanceof FE)) throw e; if (${error} === undefined) ${error} = e; }`);
  out.emit('}');
  out.emit(`if (${error} !== undefined && ${result} !== ${deciding}) throw ${error};`);
}

/** `has(a.b.c)` on a chain of fields (the library's own macro), or its rewrite `a[0].?b.hasValue()`. */
function has(node: CelNode, names: Names, out: Emitter, generate: Generate): string {
  if (node.meta.alternate !== undefined) return generate(node.meta.alternate, names, out);
  const [, given] = argsOf(node);
  const fields: string[] = [];
  let current = nodeAt(Array.isArray(given) ? given[0] : undefined);
  while (current.op === '.') {
    fields.unshift(String(argsOf(current)[1]));
    current = nodeAt(argsOf(current)[0]);
  }
  if (current.op !== 'id' || fields.length === 0) throw new Unsupported('a has() of another form');
  const root = generate(current, names, out);
  const helper = `h.has(b, ${root}, ${out.constant(fields)})`;
  return readsInline(fields) ? testPath(out, root, fields, helper) : out.assign(helper);
}

/** `m.transformList(k, v, [filter,] e)`: the transform only where the filter holds, as in cel-go. */
function transformList(
  receiver: unknown,
  given: readonly unknown[],
  names: Names,
  out: Emitter,
  generate: Generate,
): string {
  if (given.length !== 3 && given.length !== 4) throw new Unsupported('transformList of another form');
  const entries = out.assign(`h.entriesOf(${generate(nodeAt(receiver), names, out)})`);
  const [key, value, index, result] = [out.temp(), out.temp(), out.temp(), out.temp()];
  const inner = {
    variables: names.variables,
    cells: new Map([...names.cells, [nameOf(given[0]), key], [nameOf(given[1]), value]]),
  };
  const [filter, transform] = given.length === 4 ? given.slice(2) : [undefined, given[2]];
  out.emit(`${result} = [];`);
  out.emit(`for (${index} = 0; ${index} < ${entries}.length; ${index}++) {`);
  out.emit(`${key} = ${entries}[${index}][0]; ${value} = ${entries}[${index}][1];`);
  if (filter !== undefined) out.emit(`if (!h.asBool(${generate(nodeAt(filter), inner, out)})) continue;`);
  out.emit(`${result}.push(${generate(nodeAt(transform), inner, out)});`);
  out.emit('}');
  return result;
}
