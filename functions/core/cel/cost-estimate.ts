// The static cost estimate of an expression, worked out on its parsed tree when the
// policy loads, as the API server estimates CEL costs: the worst case over every object
// the API server can send. An object is at most 3 MiB, so a string in it has at most
// 3 Mi characters and a list at most 1 Mi elements (an element takes 3 bytes: `{},`).
// A comprehension costs its list's length times its step's cost; the parts of one
// list's elements add up to at most the list, so iterating over a field of the
// element (`containers.all(c, c.ports.all(...))`) stays linear, while iterating over
// another whole list inside (`containers.all(c, containers.exists(...))`) multiplies.
import { argsOf, type CelNode, childrenOf, comprehensionParts, isCelNode } from './cel-ast.js';

/** The largest object the API server accepts (its maxRequestBodyBytes for an object). */
export const maxObjectBytes = 3 * 1024 * 1024;
/** Estimated units an expression may cost (the API server's limit for a CRD's rules). */
export const defaultCostLimit = 100_000_000;
const minElementBytes = 3;
const charactersPerUnit = 10;
const maxNestedComprehensions = 6;

export interface Estimate {
  /** Worst-case cost units. */
  readonly cost: number;
  /** Worst-case size of the value: bytes of JSON, characters of a string. */
  readonly size: number;
}

export interface EstimateScope {
  /** Size of each variable an expression may name; `variables.x` is looked up under "variables.x". */
  readonly sizes: ReadonlyMap<string, number>;
  readonly depth: number;
}

const small: Estimate = { cost: 1, size: 16 };

export function estimateCost(node: CelNode, scope: EstimateScope): Estimate {
  if (node.meta.alternate) return estimateCost(node.meta.alternate, scope);
  const parts = comprehensionParts(node);
  if (parts) return estimateComprehension(parts, scope);
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

function estimateSelect(node: CelNode, scope: EstimateScope): Estimate {
  const [operand, field] = argsOf(node);
  if (isCelNode(operand) && operand.op === 'id' && argsOf(operand)[0] === 'variables')
    return { cost: 2, size: scope.sizes.get(`variables.${String(field)}`) ?? maxObjectBytes };
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
    case '+':
      return {
        cost: cost + Math.ceil(sumOf(children, (c) => c.size) / charactersPerUnit),
        size: sumOf(children, (c) => c.size),
      };
    case 'in':
      return { cost: cost + Math.ceil((sizes[1] ?? 0) / minElementBytes), size: 1 };
    case '==':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
      return { cost: cost + Math.ceil(Math.min(...sizes) / charactersPerUnit), size: 1 };
    case 'list':
    case 'map':
      return { cost, size: sumOf(children, (c) => c.size) + children.length * minElementBytes };
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
const sizeFree = new Set([
  'size',
  'has',
  'hasValue',
  'value',
  'orValue',
  'or',
  'dyn',
  'type',
  'int',
  'uint',
  'double',
  'bool',
]);

function estimateCall(node: CelNode, scope: EstimateScope): Estimate {
  const children = estimateChildren(node, scope);
  const cost = 1 + sumOf(children, (child) => child.cost);
  const name = String(argsOf(node)[0]);
  if (sizeFree.has(name)) return { cost, size: Math.max(16, ...children.map((child) => child.size)) };
  // Library functions scan their receiver and arguments once: strings by ten
  // characters, lists by element, as the runtime charges.
  const scanned = sumOf(children, (child) => child.size);
  const perUnit = stringFunctions.has(name) ? charactersPerUnit : minElementBytes;
  const scanCost = Math.ceil(scanned / perUnit);
  return { cost: cost + scanCost, size: scanned };
}

/**
 * A comprehension over a list of at most n elements whose step costs a + b·e for an
 * element of e bytes costs at most n·a + b·(size of the list), since the elements'
 * sizes add up to the list's. The step is estimated twice to find a and b; a step that
 * grows faster than linearly with its element is charged the plain product.
 */
function estimateComprehension(parts: ReturnType<typeof comprehensionParts> & object, scope: EstimateScope): Estimate {
  if (scope.depth >= maxNestedComprehensions)
    throw new Error(`more than ${maxNestedComprehensions} comprehensions inside one another`);
  const iterable = estimateCost(parts.iterable, scope);
  const init = estimateCost(parts.init, scope);
  const elements = Math.max(1, Math.ceil(iterable.size / minElementBytes));
  const stepWith = (elementSize: number) =>
    estimateCost(parts.step, {
      sizes: new Map([...scope.sizes, [parts.iterVarName, elementSize]]),
      depth: scope.depth + 1,
    });
  const whole = stepWith(iterable.size);
  const half = stepWith(Math.ceil(iterable.size / 2));
  const least = stepWith(minElementBytes);
  const linear = whole.cost - half.cost <= 1.05 * (half.cost - least.cost) + 8;
  const perElement = least.cost;
  const growth = Math.max(0, whole.cost - least.cost);
  const steps = linear ? elements * perElement + growth : elements * whole.cost;
  return { cost: iterable.cost + init.cost + steps, size: Math.max(iterable.size, elements * least.size) };
}
