// One evaluation of a rule in compiled form: its inputs as sent (no conversion), its
// variables evaluated at most once, and the values of variables that read only
// `object` shared between the rules of a review, as the interpreter shares them
// (activation.ts). An expression's CEL error, or a result that is not a bool or a
// string, sends the rule to the interpreter (Deopt), whose words the user then reads.
import type { AdmissionRequest } from '../../admission-review.js';
import { type ActivationInput, namesOnlyObject, requestFieldsOf } from '../activation.js';
import type { CompiledExpression } from '../compile-expression.js';
import type { Budget } from '../runtime-budget.js';
import type { FastProgram, FastScope } from './fast-program.js';
import { Deopt, FastError, isForeign } from './fast-values.js';

/** What evaluates a rule's expressions: the compiled form here, the interpreter in cel-rule.ts. */
export interface Evaluator {
  evaluate(expression: CompiledExpression): unknown;
}

export interface FastVariable {
  readonly program: FastProgram;
  /** Its place among the values a review's rules share, when its value depends on `object` alone. */
  readonly sharedId: number | undefined;
}

/** The values variables computed from each object of a review, by sharedId (decide keeps them per review). */
export interface SharedCelValues {
  readonly celValues: Map<object, unknown[]>;
}

/** Shared variables' ids, by their text (the same text in two rules is the same value). Bounded. */
const sharedIds = new Map<string, number>();
const maxSharedIds = 4096;

export function fastVariable(text: string, program: FastProgram): FastVariable {
  let sharedId = sharedIds.get(text);
  if (sharedId === undefined && namesOnlyObject(text) && sharedIds.size < maxSharedIds) {
    sharedId = sharedIds.size;
    sharedIds.set(text, sharedId);
  }
  return { program, sharedId };
}

/** For a caller that keeps no review memo: the shared values by the object. */
const sharedByObject = new WeakMap<object, unknown[]>();

class RuleScope implements FastScope, Evaluator {
  readonly #request: AdmissionRequest;
  readonly #variables: readonly FastVariable[];
  readonly #review: SharedCelValues | undefined;
  readonly #values: unknown[] = [];
  #errors: (FastError | undefined)[] | undefined;
  #shared: unknown[] | undefined;

  constructor(
    readonly budget: Budget,
    readonly params: unknown,
    readonly object: unknown,
    readonly oldObject: unknown,
    readonly namespaceObject: unknown,
    request: AdmissionRequest,
    variables: readonly FastVariable[],
    review: SharedCelValues | undefined,
  ) {
    this.#request = request;
    this.#variables = variables;
    this.#review = review;
  }

  /** `request` as CEL sees it, built once per review, when a rule first reads it. */
  get request(): unknown {
    return requestFieldsOf(this.#request);
  }

  /** An expression's result in compiled form: a bool or a string, else the interpreter decides. */
  evaluate(expression: CompiledExpression): unknown {
    const { fast } = expression;
    if (fast === undefined) throw new Deopt('an expression without a compiled form');
    let result: unknown;
    try {
      result = fast(this);
    } catch (error) {
      if (error instanceof FastError) throw new Deopt(`a CEL error: ${error.message}`);
      throw error;
    }
    if (typeof result === 'boolean' || typeof result === 'string') return result;
    throw new Deopt('a result that is not a bool or a string');
  }

  variable(index: number): unknown {
    const known = this.#values[index];
    if (known !== undefined) return known;
    const error = this.#errors?.[index];
    if (error !== undefined) throw error;
    const variable = this.#variables[index];
    if (variable === undefined) throw new Deopt('a variable the rule does not declare');
    try {
      const value = this.#evaluate(variable);
      this.#values[index] = value;
      return value;
    } catch (thrown) {
      if (thrown instanceof FastError) {
        this.#errors ??= [];
        this.#errors[index] = thrown;
      }
      throw thrown;
    }
  }

  #evaluate({ program, sharedId }: FastVariable): unknown {
    const values = sharedId === undefined ? undefined : this.#sharedValues();
    if (values === undefined || sharedId === undefined) return program(this);
    const known = values[sharedId];
    if (known !== undefined) return known;
    const value = program(this);
    values[sharedId] = value;
    return value;
  }

  /** The values other rules of the review computed from this object, looked up once per evaluation. */
  #sharedValues(): unknown[] | undefined {
    if (this.#shared !== undefined) return this.#shared;
    const { object } = this;
    if (typeof object !== 'object' || object === null) return undefined;
    const byObject = this.#review?.celValues ?? sharedByObject;
    let values = byObject.get(object);
    if (values === undefined) {
      values = [];
      byObject.set(object, values);
    }
    this.#shared = values;
    return values;
  }
}

export function fastScope(
  budget: Budget,
  params: unknown,
  input: ActivationInput & { readonly review?: SharedCelValues | undefined },
  variables: readonly FastVariable[],
): FastScope & Evaluator {
  const { object, oldObject, namespaceObject } = input;
  if (isForeign(object) || isForeign(oldObject) || isForeign(namespaceObject))
    throw new Deopt('an input object with a field named constructor');
  return new RuleScope(
    budget,
    params,
    object ?? null,
    oldObject ?? null,
    namespaceObject ?? null,
    input.request,
    variables,
    input.review,
  );
}
