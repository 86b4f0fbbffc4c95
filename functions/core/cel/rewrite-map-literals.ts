// Map literals with CEL's key rules: keys are ints, uints, bools or strings (a double or
// null key is an error) and a key given twice is an error (`{0: 1, 0u: 2}` too: equal
// numbers are one key). The library accepts both. The map is built as the library
// builds it, a JS object whose keys are the keys' text (so `{6: 'six'}` iterates "6",
// a string: a known gap, README), which its lookups across int, uint and double rely on.
import type { CelNode } from './cel-ast.js';
import { UnsignedInt } from './cel-classes.js';

// Trust boundary: the library's evaluator runs a node with `run` (lib/evaluator.js).
interface Runner {
  run(node: unknown, context: unknown): unknown;
}

/** The key's identity for duplicates: an int and a uint of one value are one key. */
function keyIdentity(key: unknown): string {
  if (typeof key === 'string') return `s${key}`;
  if (typeof key === 'boolean') return `b${key}`;
  if (typeof key === 'bigint' || key instanceof UnsignedInt) return `n${String(key)}`;
  throw new Error(`unsupported key type: a map key must be an int, uint, bool or string`);
}

function evaluateMap(evaluator: Runner, node: CelNode, context: unknown): unknown {
  const entries = Array.isArray(node.args) ? node.args : [];
  const seen = new Set<string>();
  const pairs: [unknown, unknown][] = [];
  for (const entry of entries) {
    const [keyNode, valueNode] = Array.isArray(entry) ? entry : [];
    const key = evaluator.run(keyNode, context);
    const identity = keyIdentity(key);
    if (seen.has(identity)) throw new Error('repeated key in a map literal');
    seen.add(identity);
    pairs.push([key, evaluator.run(valueNode, context)]);
  }
  const object: Record<string, unknown> = {};
  for (const [key, value] of pairs)
    if (key !== '__proto__' && key !== 'constructor' && key !== 'prototype') object[String(key)] = value;
  return object;
}

export function rewriteMapLiteral(node: CelNode): void {
  if (node.op === 'map' && Array.isArray(node.args) && node.args.length > 0) node.setMeta('evaluate', evaluateMap);
}
