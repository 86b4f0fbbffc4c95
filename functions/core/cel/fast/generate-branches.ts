// The branching operators of compiled CEL: `&&`, `||` and `?:`, as statements, each
// side evaluated (and charged) only when the interpreter evaluates it.
import { argsOf, type CelNode } from '../cel-ast.js';
import type { Emitter } from './fast-emitter.js';
import { type Generate, type Names, nodeAt } from './fast-program.js';

/**
 * `&&` (`||`: `absorbing` true) as the library evaluates it: the left side's CEL error is
 * kept while the right side is evaluated, and the right side decides if it can.
 */
export function logical(node: CelNode, names: Names, out: Emitter, generate: Generate): string {
  const [left, right] = argsOf(node);
  const absorbing = node.op === '||';
  const [first, result, error] = [out.temp(), out.temp(), out.temp()];
  out.emit(`${error} = undefined;`);
  out.emit('try {');
  out.emit(`${first} = h.asBool(${generate(nodeAt(left), names, out)});`);
  out.emit(`} catch (e) { if (!(e instanceof FE)) throw e; ${error} = e; }`);
  out.emit(`if (${first} === ${absorbing} && ${error} === undefined) ${result} = ${absorbing}; else {`);
  const second = generate(nodeAt(right), names, out);
  out.emit(`${result} = h.asBool(${second});`);
  out.emit(`if (${error} !== undefined && ${result} !== ${absorbing}) throw ${error};`);
  out.emit('}');
  return result;
}

export function conditional(node: CelNode, names: Names, out: Emitter, generate: Generate): string {
  const [condition, then, otherwise] = argsOf(node);
  const result = out.temp();
  out.emit(`if (h.asBool(${generate(nodeAt(condition), names, out)})) {`);
  out.emit(`${result} = ${generate(nodeAt(then), names, out)};`);
  out.emit('} else {');
  out.emit(`${result} = ${generate(nodeAt(otherwise), names, out)};`);
  out.emit('}');
  return result;
}
