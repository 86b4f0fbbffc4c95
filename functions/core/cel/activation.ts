// What a rule's expressions see, as in a ValidatingAdmissionPolicy: `object`,
// `oldObject` (null on a CREATE), `request` (with userInfo), `namespaceObject` (null
// until namespaces are supplied), `params`, and `variables`, each variable evaluated
// at most once, when an expression first names it.
import type { AdmissionRequest } from '../admission-review.js';
import { toCelValue } from './cel-values.js';
import type { CompiledExpression } from './compile-expression.js';

export interface NamedExpression {
  readonly name: string;
  readonly compiled: CompiledExpression;
}

export interface ActivationInput {
  readonly request: AdmissionRequest;
  readonly object: unknown;
  readonly oldObject: unknown;
  readonly namespaceObject?: unknown;
}

export function buildActivation(
  input: ActivationInput,
  params: unknown,
  variables: readonly NamedExpression[],
): Record<string, unknown> {
  const activation: Record<string, unknown> = {
    object: toCelValue(input.object ?? null),
    oldObject: toCelValue(input.oldObject ?? null),
    request: celRequestOf(input.request),
    namespaceObject: toCelValue(input.namespaceObject ?? null),
    params,
    variables: undefined,
  };
  activation.variables = lazyVariables(activation, variables);
  return activation;
}

type Outcome = { readonly value: unknown } | { readonly error: unknown };

interface VariableState {
  readonly activation: Record<string, unknown>;
  readonly outcomes: (Outcome | undefined)[];
}

const state = Symbol('the variables of one evaluation');

interface WithState {
  [state]: VariableState;
}

const holders = new WeakMap<readonly NamedExpression[], WithState>();

/**
 * An object whose properties evaluate their expression on first read, once per
 * evaluation. Its getters are own properties (the CEL library reads a map's own
 * fields), made once per rule with the object that holds them: each evaluation of
 * the rule gives the object its own state, so none defines a property or allocates a
 * getter. Evaluation is synchronous and a rule's check runs to its end before it runs
 * again (the runtime budget counts on the same), so one object per rule serves every
 * evaluation.
 */
function lazyVariables(activation: Record<string, unknown>, variables: readonly NamedExpression[]): object {
  let holder = holders.get(variables);
  if (holder === undefined) {
    holder = Object.defineProperties<WithState>({ [state]: { activation, outcomes: [] } }, accessorsOf(variables));
    holders.set(variables, holder);
  }
  holder[state] = { activation, outcomes: [] };
  return holder;
}

const idle: VariableState = { activation: {}, outcomes: [] };

/** Lets go of the last evaluation's objects (a 3 MiB object is not kept until the rule runs again). */
export function releaseVariables(variables: readonly NamedExpression[]): void {
  const holder = holders.get(variables);
  if (holder !== undefined) holder[state] = idle;
}

function accessorsOf(variables: readonly NamedExpression[]): PropertyDescriptorMap {
  const accessors: PropertyDescriptorMap = {};
  variables.forEach(({ compiled, name }, index) => {
    const shared = namesOnlyObject(compiled.text);
    accessors[name] = {
      enumerable: true,
      get(this: WithState) {
        const { activation, outcomes } = this[state];
        let outcome = outcomes[index];
        if (outcome === undefined) {
          outcome = evaluateVariable(compiled, activation, shared);
          outcomes[index] = outcome;
        }
        if ('error' in outcome) throw outcome.error;
        return outcome.value;
      },
    };
  });
  return accessors;
}

/**
 * Values of variables that read nothing but `object`, by the object (as converted for
 * CEL, once per review) and the text: every rule of a review that declares the same
 * variable (the Pod Security rules all declare `containers`) gets the value the first
 * one computed. CEL has no clock and no randomness, so the value cannot differ. Only
 * values are kept: an error, the budget's included, is each rule's own.
 */
const sharedValues = new WeakMap<object, Map<string, unknown>>();
const otherInputs = /\b(?:oldObject|request|namespaceObject|params|variables)\b/;

/** Whether `text` cannot read an input but `object`: it does not even spell the others' names. */
export function namesOnlyObject(text: string): boolean {
  return !otherInputs.test(text);
}

function evaluateVariable(compiled: CompiledExpression, activation: Record<string, unknown>, shared: boolean): Outcome {
  const { object } = activation;
  let values: Map<string, unknown> | undefined;
  if (shared && typeof object === 'object' && object !== null) {
    values = sharedValues.get(object);
    if (values === undefined) {
      values = new Map();
      sharedValues.set(object, values);
    }
    if (values.has(compiled.text)) return { value: values.get(compiled.text) };
  }
  try {
    const value = compiled.evaluate(activation);
    values?.set(compiled.text, value);
    return { value };
  } catch (error) {
    return { error };
  }
}

const requests = new WeakMap<AdmissionRequest, object>();

/**
 * `request` as a ValidatingAdmissionPolicy sees it, as plain JSON (what compiled CEL
 * reads), built once per review however many rules read it.
 */
export function requestFieldsOf(request: AdmissionRequest): object {
  let value = requests.get(request);
  if (value === undefined) {
    value = celRequest(request);
    requests.set(request, value);
  }
  return value;
}

/** The same converted for the interpreter (toCelValue converts each object once). */
function celRequestOf(request: AdmissionRequest): unknown {
  return toCelValue(requestFieldsOf(request));
}

/** The request fields a ValidatingAdmissionPolicy sees under `request`, of those the review schema reads. */
function celRequest(request: AdmissionRequest) {
  return {
    uid: request.uid,
    kind: request.kind,
    resource: request.resource,
    subResource: request.subResource ?? '',
    name: request.name ?? '',
    namespace: request.namespace ?? '',
    operation: request.operation,
    userInfo: {
      username: request.userInfo?.username ?? '',
      uid: request.userInfo?.uid ?? '',
      groups: request.userInfo?.groups ?? [],
    },
    dryRun: request.dryRun === true,
  };
}
