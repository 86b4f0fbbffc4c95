// The runtime cost budget: every evaluation step of a compiled expression and every
// unit of work a library function does (characters scanned, list items visited) is
// charged to the budget of the rule being evaluated; past the limit the evaluation
// stops with BudgetExceeded. Evaluation is synchronous, so one budget at a time is open.
import { type CelNode, childrenOf } from './cel-ast.js';
import { countsOperand, countUnits, scansOperands, sizeUnits } from './cost-units.js';

/** Units a rule may spend on one review: 50 to 150 ms of evaluation on a 2-core machine. */
export const defaultRuntimeBudget = 1_000_000;

export class BudgetExceeded extends Error {
  constructor(readonly limit: number) {
    super(`the evaluation went over its cost budget of ${limit} units`);
  }
}

export class Budget {
  spent = 0;
  exceeded = false;
  /** Thrown again at every later step: a comprehension keeps going after an error in one step. */
  #stop: BudgetExceeded | undefined;
  constructor(readonly limit: number) {}

  charge(units: number): void {
    this.spent += units;
    if (this.spent > this.limit) {
      this.exceeded = true;
      this.#stop ??= new BudgetExceeded(this.limit);
      throw this.#stop;
    }
  }
}

/**
 * Units all the CEL rules of one review may spend together (as the API server's budget
 * for one policy): a hostile object then costs a bounded time whatever the number of
 * rules. Each review has its account (rules/rule.ts: ReviewMemo, or by the request).
 */
export const defaultReviewBudget = 3_000_000;

/** What one review's CEL rules have spent together. */
export interface ReviewAccount {
  celUnitsSpent: number;
}

const accountsByRequest = new WeakMap<object, ReviewAccount>();

/** The account of the review `request` belongs to, for a caller that keeps none: keyed by the request. */
export function accountOf(request: object): ReviewAccount {
  let account = accountsByRequest.get(request);
  if (account === undefined) {
    account = { celUnitsSpent: 0 };
    accountsByRequest.set(request, account);
  }
  return account;
}

/** The units the review has left, at most `limit`. */
export function remainingFor(account: ReviewAccount, reviewBudget: number, limit: number): number {
  return Math.max(0, Math.min(limit, reviewBudget - account.celUnitsSpent));
}

let open: Budget | undefined;

/** Charges the open budget, if any: library functions call it with their size-based cost. */
export function charge(units: number): void {
  open?.charge(units);
}

/** Runs `evaluate` with `budget` open, restoring the budget that was open before. */
export function withBudget<T>(budget: Budget, evaluate: () => T): T {
  const previous = open;
  open = budget;
  try {
    return evaluate();
  } finally {
    open = previous;
  }
}

const charged = new WeakSet<object>();
/** Nodes whose result is charged by its size too (operands of scanning operators and calls). */
const sizedNodes = new WeakSet<object>();

/** Operands of size(): what it counts is charged (a string's characters, a map's keys). */
const countedNodes = new WeakSet<object>();

/** Whether evaluating `node` charges its result's size as well as one unit (see chargeEveryStep). */
export function isSized(node: CelNode): boolean {
  return sizedNodes.has(node);
}

/** Whether evaluating `node` charges what size() counts in its result (see chargeEveryStep). */
export function isCounted(node: CelNode): boolean {
  return countedNodes.has(node);
}

/**
 * Makes every node of a parsed, checked expression charge one unit when it is
 * evaluated, and operands of scanning operators and calls charge their size too, and
 * the operand of size() what it counts (cost-units.ts). The
 * node's own evaluator is resolved here, once (the library resolves it on a node's
 * first use, from the checker's notes: a rewrite, a macro, or the operator), and the
 * charging one is set as a read-only own property: plain data the engine calls fast,
 * and a library that tried to replace it would throw, not run uncharged.
 */
export function chargeEveryStep(root: CelNode): void {
  const pending: [CelNode, boolean, boolean][] = [[root, false, false]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [node, sized, counted] = next;
    if (charged.has(node)) continue;
    charged.add(node);
    if (sized) sizedNodes.add(node);
    if (counted) countedNodes.add(node);
    wrapEvaluate(node, sized, counted);
    const [scans, counts] = [scansOperands(node), countsOperand(node)];
    for (const child of childrenOf(node)) pending.push([child, scans, counts]);
  }
}

type Evaluate = (this: CelNode, evaluator: unknown, node: unknown, context: unknown) => unknown;

/** Units an error costs where it is raised: building a thrown error takes some hundred steps' time. */
export const errorUnits = 100;
const chargedErrors = new WeakSet<object>();

function chargeError(budget: Budget, error: unknown): void {
  if (typeof error !== 'object' || error === null || error instanceof BudgetExceeded || chargedErrors.has(error))
    return;
  chargedErrors.add(error);
  budget.charge(errorUnits);
}

function wrapEvaluate(node: CelNode, sized: boolean, counted: boolean): void {
  const inner = resolvedEvaluate(node);
  const charging: Evaluate = function (this: CelNode, evaluator, ast, context) {
    const budget = open;
    if (budget === undefined) return inner.call(this, evaluator, ast, context);
    budget.charge(1);
    let result: unknown;
    try {
      result = inner.call(this, evaluator, ast, context);
    } catch (error) {
      chargeError(budget, error);
      throw error;
    }
    if (sized) budget.charge(sizeUnits(result));
    if (counted) budget.charge(countUnits(result));
    return result;
  };
  Object.defineProperty(node, 'evaluate', { configurable: false, writable: false, value: charging });
}

interface Evaluable {
  evaluate(evaluator: unknown, macro: unknown, context: unknown): unknown;
}

/** What the library's ASTNode.evaluate does on first use (lib/parser.js), decided once. */
function resolvedEvaluate(node: CelNode): Evaluate {
  const { alternate, macro } = node.meta;
  if (alternate) return (evaluator, _ast, context) => alternate.evaluate(evaluator, alternate, context);
  if (isEvaluable(macro)) return (evaluator, _ast, context) => macro.evaluate(evaluator, macro, context);
  const operator = node.meta.evaluate;
  if (typeof operator !== 'function') throw new Error(`the CEL library left the ${node.op} node without an evaluator`);
  // Trust boundary: meta.evaluate is the operator's evaluate(ev, ast, ctx) from lib/operators.js.
  return operator as Evaluate;
}

function isEvaluable(value: unknown): value is Evaluable {
  return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'evaluate') === 'function';
}
