// The static cost estimate of an expression, worked out on its parsed tree when the
// policy loads, as the API server estimates CEL costs: the worst case over every object
// the API server can send. An object is at most 3 MiB, so a string in it has at most
// 3 Mi characters and a list at most 1 Mi elements (an element takes 3 bytes: `{},`).
// A comprehension costs its list's length times its step's cost; the parts of one
// list's elements add up to at most the list, so iterating over a field of the
// element (`containers.all(c, c.ports.all(...))`) stays linear, while iterating over
// another whole list inside (`containers.all(c, containers.exists(...))`) multiplies.
import { argsOf, type CelNode, childrenOf, isCelNode } from './cel-ast.js';
import { disjointPartsRoot } from './disjoint-parts.js';
import { estimateLoop, loopOf } from './loop-cost.js';

/** The largest object the API server accepts (its maxRequestBodyBytes for an object). */
export const maxObjectBytes = 3 * 1024 * 1024;
/** Estimated units an expression may cost (the API server's limit for a CRD's rules). */
export const defaultCostLimit = 100_000_000;
export const minElementBytes = 3;
const charactersPerUnit = 10;

export interface Estimate {
  /** Worst-case cost units. */
  readonly cost: number;
  /** Worst-case size of the value: bytes of JSON, characters of a string. */
  readonly size: number;
  /** At most this many elements, where known: a literal, params, or what a comprehension yields. */
  readonly count?: number;
}

export interface EstimateScope {
  /** Size of each variable an expression may name; `variables.x` is looked up under "variables.x". */
  readonly sizes: ReadonlyMap<string, number>;
  /** The most elements of each variable that is a list, where known (a map or filter over a list). */
  readonly counts?: ReadonlyMap<string, number>;
  readonly depth: number;
  /** The rule's params, known when the policy loads: `params.x` is measured, not bounded. */
  readonly params?: unknown;
}

const small: Estimate = { cost: 1, size: 16 };

export function estimateCost(node: CelNode, scope: EstimateScope): Estimate {
  if (node.meta.alternate) return estimateCost(node.meta.alternate, scope);
  const loop = loopOf(node);
  if (loop) return estimateLoop(loop, scope, estimateCost);
  const args = argsOf(node);
  switch (node.op) {
    case 'value':
      return { cost: 0, size: typeof args[0] === 'string' ? args[0].length : 16 };
    case 'id':
      return { cost: 1, size: scope.sizes.get(String(args[0])) ?? 16 };
    case '.':
    case '.?':
      return estimateSelect(node, scope);
    case 'call':
    case 'rcall':
      return estimateCall(node, scope);
    default:
      return estimateOperator(node, scope);
  }
}

/** The value a path from `params` (`params.registries`) selects, if the path is all fields. */
function paramsAt(node: CelNode, params: unknown): { found: unknown; steps: number } | undefined {
  const [operand, field] = argsOf(node);
  if (node.op === 'id') return args0(node) === 'params' ? { found: params, steps: 1 } : undefined;
  if ((node.op !== '.' && node.op !== '.?') || !isCelNode(operand)) return undefined;
  const parent = paramsAt(operand, params);
  const container = parent?.found;
  if (parent === undefined || typeof container !== 'object' || container === null) return undefined;
  return { found: Reflect.get(container, String(field)), steps: parent.steps + 1 };
}

const args0 = (node: CelNode) => argsOf(node)[0];

function estimateSelect(node: CelNode, scope: EstimateScope): Estimate {
  const known = paramsAt(node, scope.params);
  if (known) {
    const count = Array.isArray(known.found) ? { count: known.found.length } : {};
    return { cost: known.steps, size: (JSON.stringify(known.found) ?? '').length, ...count };
  }
  const [operand, field] = argsOf(node);
  if (isCelNode(operand) && operand.op === 'id' && argsOf(operand)[0] === 'variables') {
    const name = `variables.${String(field)}`;
    const count = scope.counts?.get(name);
    return { cost: 2, size: scope.sizes.get(name) ?? maxObjectBytes, ...(count === undefined ? {} : { count }) };
  }
  const inner = isCelNode(operand) ? estimateCost(operand, scope) : small;
  return { cost: inner.cost + 1, size: inner.size };
}

function sumOf(estimates: readonly Estimate[], pick: (estimate: Estimate) => number): number {
  return estimates.reduce((total, estimate) => total + pick(estimate), 0);
}

function estimateChildren(node: CelNode, scope: EstimateScope): Estimate[] {
  return childrenOf(node).map((child) => estimateCost(child, scope));
}

function estimateOperator(node: CelNode, scope: EstimateScope): Estimate {
  const children = estimateChildren(node, scope);
  const cost = 1 + sumOf(children, (child) => child.cost);
  const sizes = children.map((child) => child.size);
  switch (node.op) {
    case '+': {
      const total = sumOf(children, (c) => c.size);
      const root = disjointPartsRoot(node);
      const size = Math.min(total, (root === undefined ? undefined : scope.sizes.get(root)) ?? total);
      return { cost: cost + Math.ceil(size / charactersPerUnit), size };
    }
    case 'in': {
      // A scan of the list's elements: as many as it is known to hold, else its bytes' worth.
      const elements = children[1]?.count ?? Math.ceil((sizes[1] ?? 0) / minElementBytes);
      return { cost: cost + elements, size: 1 };
    }
    case '==':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
      return { cost: cost + Math.ceil(Math.min(...sizes) / charactersPerUnit), size: 1 };
    case '?:':
      // The value is one of the branches; the condition's size is not part of it.
      return { cost, size: Math.max(sizes[1] ?? 0, sizes[2] ?? 0) };
    case 'accuPush': // a map or filter adds one element: a comprehension sums these over its elements
      return { cost, size: sumOf(children, (c) => c.size) };
    case 'accuValue':
      return { cost, size: 0 };
    case 'list':
    case 'map': {
      const count = node.op === 'list' ? children.length : Math.ceil(children.length / 2);
      return { cost, size: sumOf(children, (c) => c.size) + children.length * minElementBytes, count };
    }
    default:
      return { cost, size: Math.max(16, ...sizes) };
  }
}

const stringFunctions = new Set(
  [
    'startsWith endsWith contains matches matchesLinearTime find findAll split replace lowerAscii upperAscii',
    'lowerAsciiOnly upperAsciiOnly trim charAt substring quantity isQuantity url isURL string',
  ]
    .join(' ')
    .split(' '),
);
const passThrough = new Set(['orValue', 'or', 'value', 'dyn']);
const sizeFree = new Set(
  'size has hasValue value orValue or optMap optFlatMap dyn type int uint double bool'.split(' '),
);

function estimateCall(node: CelNode, scope: EstimateScope): Estimate {
  const children = estimateChildren(node, scope);
  const cost = 1 + sumOf(children, (child) => child.cost);
  const name = String(argsOf(node)[0]);
  // An optional's value (or its default) is one of its parts, no larger than the largest.
  if (passThrough.has(name)) return { cost, size: Math.max(0, ...children.map((child) => child.size)) };
  if (sizeFree.has(name)) return { cost, size: Math.max(16, ...children.map((child) => child.size)) };
  // Library functions scan their receiver and arguments once: strings by ten
  // characters, lists by element, as the runtime charges.
  const scanned = sumOf(children, (child) => child.size);
  const perUnit = stringFunctions.has(name) ? charactersPerUnit : minElementBytes;
  const scanCost = Math.ceil(scanned / perUnit);
  return { cost: cost + scanCost, size: scanned };
}
