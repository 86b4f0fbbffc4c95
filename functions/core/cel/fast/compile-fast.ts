// CEL compiled to JavaScript over the object as the API server sent it: no conversion
// of the object, no overload lookups, one function per expression whose statements
// were decided when the policy loaded. It covers what the shipped policies use (field
// and optional access, literals, logic, equality, `in`, `+` of strings, lists and ints,
// int ordering, the macros, the functions of fast-functions.ts); an expression with
// anything else keeps its rule on the interpreter. It evaluates the nodes the
// interpreter evaluates, in its order, and charges the budget as the interpreter does,
// node for node (runtime-budget.ts), so a rule costs the same units either way. Values
// it does not take go back to the interpreter at run time (fast-values.ts: Deopt).
import { argsOf, type CelNode } from '../cel-ast.js';
import { countUnits, sizeUnits } from '../cost-units.js';
import { isCounted, isSized } from '../runtime-budget.js';
import { Emitter } from './fast-emitter.js';
import { globalFunctions, receiverFunctions } from './fast-functions.js';
import { fastHelpers } from './fast-helpers.js';
import { type FastProgram, type Generate, type Names, nodeAt, Unsupported } from './fast-program.js';
import { FastError } from './fast-values.js';
import { conditional, logical } from './generate-branches.js';
import { generateMacro } from './generate-macros.js';
import { readPath, readsInline } from './inline-access.js';

const inputs = new Map([
  ['object', 's.object'],
  ['oldObject', 's.oldObject'],
  ['request', 's.request'],
  ['namespaceObject', 's.namespaceObject'],
  ['params', 's.params'],
]);

/** The compiled form of a parsed, rewritten and checked expression, or undefined where it does not cover it. */
export function compileFast(root: CelNode, variables: readonly string[]): FastProgram | undefined {
  const emitter = new Emitter();
  const names: Names = { variables: new Map(variables.map((name, index) => [name, index])), cells: new Map() };
  try {
    const result = generate(root, names, emitter);
    return emitter.finish(result, fastHelpers, FastError);
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

/** Emits `node`'s evaluation, charged as the interpreter charges it, and gives the text of its value. */
export const generate: Generate = (node, names, out) => {
  out.charge(1);
  const value = generateOperator(node, names, out);
  const [sized, counted] = [isSized(node), isCounted(node)];
  if (!sized && !counted) return value;
  if (node.op === 'value') {
    // A literal's size is known now.
    out.charge((sized ? sizeUnits(node.args) : 0) + (counted ? countUnits(node.args) : 0));
    return value;
  }
  const kept = isTemp(value) ? value : out.assign(value);
  if (sized) out.emit(`b.charge(h.units(${kept}));`);
  if (counted) out.emit(`b.charge(h.counted(${kept}));`);
  return kept;
};

function isTemp(text: string): boolean {
  return /^t\d+$/.test(text);
}

const binaryHelpers: Readonly<Record<string, (left: string, right: string) => string>> = {
  '==': (left, right) => `h.equals(${left}, ${right})`,
  '!=': (left, right) => `!h.equals(${left}, ${right})`,
  in: (left, right) => `h.contains(${left}, ${right})`,
  '+': (left, right) => `h.add(${left}, ${right})`,
  '<': (left, right) => `h.compare(${left}, ${right}) < 0`,
  '<=': (left, right) => `h.compare(${left}, ${right}) <= 0`,
  '>': (left, right) => `h.compare(${left}, ${right}) > 0`,
  '>=': (left, right) => `h.compare(${left}, ${right}) >= 0`,
};

function generateOperator(node: CelNode, names: Names, out: Emitter): string {
  const args = argsOf(node);
  const operand = (at: number) => generate(nodeAt(args[at]), names, out);
  switch (node.op) {
    case 'value':
      return literal(node.args);
    case 'id':
      return identifier(String(node.args), names);
    case '.':
      return field(node, names, out);
    case '.?':
      return out.assign(`h.selectOptional(${operand(0)}, ${JSON.stringify(String(args[1]))})`);
    case '[]': {
      const of = operand(0);
      return out.assign(`h.index(b, ${of}, ${operand(1)})`);
    }
    case '!_':
      return out.assign(`!h.asBool(${generate(nodeAt(node.args), names, out)})`);
    case '&&':
    case '||':
      return logical(node, names, out, generate);
    case '?:':
      return conditional(node, names, out, generate);
    case 'list': {
      // The library evaluates a list's elements last first (lib/operators.js, resolveAstArray).
      const elements = [...args].reverse().map((element) => generate(nodeAt(element), names, out));
      const text = `[${elements.reverse().join(', ')}]`;
      return out.assign(elements.length > 1 ? `h.listOf(${text})` : text);
    }
    case 'map':
      return mapLiteral(args, names, out);
    case 'call':
    case 'rcall':
      return call(node, names, out);
    default: {
      const helper = binaryHelpers[node.op];
      if (helper === undefined) throw new Unsupported(`the operator ${node.op}`);
      const left = operand(0);
      return out.assign(helper(left, operand(1)));
    }
  }
}

function literal(value: unknown): string {
  if (typeof value === 'bigint') {
    const number = Number(value);
    if (!Number.isSafeInteger(number)) throw new Unsupported('an int literal beyond 2^53');
    return `(${number})`;
  }
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean' || value === null) return String(value);
  throw new Unsupported('a double, uint or bytes literal');
}

function identifier(name: string, names: Names): string {
  const cell = names.cells.get(name);
  if (cell !== undefined) return cell;
  const input = inputs.get(name);
  if (input === undefined) throw new Unsupported(`the name ${name}`);
  return input;
}

/** `x.f`, and `variables.name` (its `variables` node charged as the interpreter does). */
function field(node: CelNode, names: Names, out: Emitter): string {
  const [of, name] = argsOf(node);
  const operand = nodeAt(of);
  if (operand.op === 'id' && operand.args === 'variables' && !names.cells.has('variables')) {
    const at = names.variables.get(String(name));
    if (at === undefined) throw new Unsupported(`the variable ${String(name)}`);
    out.charge(1);
    return out.assign(`s.variable(${at})`);
  }
  const value = generate(operand, names, out);
  const key = String(name);
  const helper = `h.select(b, ${value}, ${JSON.stringify(key)})`;
  return readsInline([key]) ? readPath(out, value, [key], helper) : out.assign(helper);
}

/** A map literal: its keys and values in order, built by h.mapOf (string keys only). */
function mapLiteral(entries: readonly unknown[], names: Names, out: Emitter): string {
  const parts = entries.flatMap((entry) => {
    const [key, value] = Array.isArray(entry) ? entry : [];
    const keyText = generate(nodeAt(key), names, out);
    return [keyText, generate(nodeAt(value), names, out)];
  });
  return out.assign(`h.mapOf([${parts.join(', ')}])`);
}

function call(node: CelNode, names: Names, out: Emitter): string {
  const macro = generateMacro(node, names, out, generate);
  if (macro !== undefined) return macro;
  const [name, ...rest] = argsOf(node);
  const given = node.op === 'rcall' ? rest[1] : rest[0];
  // The library evaluates the arguments last first, then the receiver (resolveAstArray).
  const values = [...(Array.isArray(given) ? given : [])]
    .reverse()
    .map((argument) => generate(nodeAt(argument), names, out))
    .reverse();
  const receiver = node.op === 'rcall' ? generate(nodeAt(rest[0]), names, out) : 'undefined';
  const table = node.op === 'rcall' ? receiverFunctions : globalFunctions;
  const implementation = table.get(`${String(name)}/${values.length}`);
  if (implementation === undefined || values.length > 2) throw new Unsupported(`the function ${String(name)}`);
  const [first = 'undefined', second = 'undefined'] = values;
  return out.assign(`${out.constant(implementation)}(b, ${receiver}, ${first}, ${second})`);
}
