// The worst-case cost of a loop: a comprehension (all, exists, exists_one, map, filter)
// or a two-variable one (library-two-variable.ts). Over a list of at most n elements,
// a body that costs a + b·e for an element of e bytes costs at most n·a + b·(size of
// the list), since the elements' sizes add up to the list's: iterating over a field of
// each element stays linear. The body is estimated at three element sizes to find a
// and b; a body that grows faster than linearly with its element (one that iterates
// over a whole list of the object again) is charged the plain product.
import { argsOf, type CelNode, comprehensionParts, isCelNode } from './cel-ast.js';
import type { Estimate, EstimateScope } from './cost-estimate.js';
import { twoVariableMacros } from './library-two-variable.js';

const minElementBytes = 3;
const maxNestedLoops = 6;
const twoVariable = new Set<string>(twoVariableMacros);

export interface Loop {
  readonly iterable: CelNode;
  readonly init: CelNode | undefined;
  /** The nodes evaluated for each element. */
  readonly body: readonly CelNode[];
  /** The names bound to each element: the element, or the index (key) and the element. */
  readonly names: readonly string[];
}

/** The loop `node` is, if it is one. */
export function loopOf(node: CelNode): Loop | undefined {
  const parts = comprehensionParts(node);
  if (parts) return { iterable: parts.iterable, init: parts.init, body: [parts.step], names: [parts.iterVarName] };
  if (node.op !== 'rcall' || node.meta.macro === undefined) return undefined;
  const [name, receiver, callArgs] = argsOf(node);
  if (!twoVariable.has(String(name)) || !isCelNode(receiver) || !Array.isArray(callArgs) || callArgs.length < 3)
    return undefined;
  const [key, value, ...body] = callArgs;
  const names = [key, value].map((named) => (isCelNode(named) ? String(argsOf(named)[0]) : ''));
  return { iterable: receiver, init: undefined, body: body.filter(isCelNode), names };
}

type EstimateCost = (node: CelNode, scope: EstimateScope) => Estimate;

export function estimateLoop(loop: Loop, scope: EstimateScope, estimateCost: EstimateCost): Estimate {
  if (scope.depth >= maxNestedLoops) throw new Error(`more than ${maxNestedLoops} comprehensions inside one another`);
  const iterable = estimateCost(loop.iterable, scope);
  const init = loop.init ? estimateCost(loop.init, scope).cost : 0;
  const elements = Math.max(1, iterable.count ?? Math.ceil(iterable.size / minElementBytes));
  const bodyWith = (elementSize: number) => {
    const sizes = new Map(scope.sizes);
    for (const name of loop.names) sizes.set(name, elementSize);
    const inner = { ...scope, sizes, depth: scope.depth + 1 };
    const estimates = loop.body.map((node) => estimateCost(node, inner));
    return {
      cost: estimates.reduce((total, estimate) => total + estimate.cost, 0),
      size: Math.max(0, ...estimates.map((estimate) => estimate.size)),
    };
  };
  const whole = bodyWith(iterable.size);
  const half = bodyWith(Math.ceil(iterable.size / 2));
  const least = bodyWith(minElementBytes);
  const linear = whole.cost - half.cost <= 1.05 * (half.cost - least.cost) + 8;
  const steps = linear ? elements * least.cost + Math.max(0, whole.cost - least.cost) : elements * whole.cost;
  const size = Math.max(iterable.size, elements * least.size);
  // A map or filter yields at most one element per element it reads: a loop over its
  // result is bounded by that count, not by its size in bytes, which the 16-byte floor
  // of each element's estimate inflates.
  return { cost: iterable.cost + init + steps, size, count: elements };
}
