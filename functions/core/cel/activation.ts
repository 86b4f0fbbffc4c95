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
  };
  activation.variables = lazyVariables(activation, variables);
  return activation;
}

/** An object whose properties evaluate their expression on first read, once. */
function lazyVariables(activation: Record<string, unknown>, variables: readonly NamedExpression[]) {
  const values: Record<string, unknown> = {};
  for (const { name, compiled } of variables) {
    let outcome: { value: unknown } | { error: unknown } | undefined;
    Object.defineProperty(values, name, {
      enumerable: true,
      get() {
        if (outcome === undefined) {
          try {
            outcome = { value: compiled.evaluate(activation) };
          } catch (error) {
            outcome = { error };
          }
        }
        if ('error' in outcome) throw outcome.error;
        return outcome.value;
      },
    });
  }
  return values;
}

const requests = new WeakMap<AdmissionRequest, unknown>();

/** `request` as CEL sees it, built once per review however many rules read it. */
function celRequestOf(request: AdmissionRequest): unknown {
  let value = requests.get(request);
  if (value === undefined) {
    value = toCelValue(celRequest(request));
    requests.set(request, value);
  }
  return value;
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
