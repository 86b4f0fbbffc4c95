// Rules written for Pods, run on the workloads that make Pods (Kyverno calls it
// autogen): a Deployment, StatefulSet, DaemonSet, ReplicaSet or Job keeps its pod
// template at spec.template, a CronJob at spec.jobTemplate.spec.template. Built-in
// rules already read that template through the workload view; for rules that read
// the object itself (CEL), podViewsFor gives the object as a Pod would look:
// { apiVersion: v1, kind: Pod, metadata: template.metadata, spec: template.spec }.
import { isWorkloadKind } from '../workload-kinds.js';
import type { Check } from './builtin-rules.js';
import type { RuleInput } from './rule.js';

/**
 * The Pod-shaped views of `object`, read as `kind`: the object itself for a Pod, the
 * pod template as a Pod for the other workload kinds, none for other kinds (or a
 * workload without a template). Pure; never throws.
 */
export function podViewsFor(object: unknown, kind: string): unknown[] {
  if (kind === 'Pod') return [object];
  if (!isWorkloadKind(kind)) return [];
  const spec = fieldOf(object, 'spec');
  const template =
    kind === 'CronJob' ? fieldOf(fieldOf(fieldOf(spec, 'jobTemplate'), 'spec'), 'template') : fieldOf(spec, 'template');
  if (template === undefined || template === null) return [];
  return [
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: fieldOf(template, 'metadata') ?? {},
      spec: fieldOf(template, 'spec') ?? {},
    },
  ];
}

/**
 * A check that reads `object` and `oldObject` (a CEL rule), run on the Pod view of a
 * workload instead: `object` and `oldObject` are replaced by their views (null stays
 * null, as for a DELETE). A Pod, or a kind without a template, is checked as it is.
 * Every such rule of a review gets the same view (made on the first), so what is
 * built from it, as the CEL conversion of the view, is built once per review.
 */
export function onPodViews(check: Check): Check {
  return (input) => {
    const { kind } = input.workload;
    if (kind === 'Pod' || !isWorkloadKind(kind)) return check(input);
    const viewed = podInputOf(input);
    return viewed === undefined ? [] : check(viewed); // no template: nothing a Pod rule can read
  };
}

const podInputs = new WeakMap<RuleInput, RuleInput | undefined>();

function podInputOf(input: RuleInput): RuleInput | undefined {
  const known = input.review?.podViews ?? podInputs;
  if (known.has(input)) return known.get(input);
  const { kind } = input.workload;
  const view = (value: unknown) => (value === null || value === undefined ? value : podViewsFor(value, kind)[0]);
  const object = view(input.object);
  // Written out, not `{ ...input, object }`: on Node 20 a spread and then more properties costs microseconds.
  const { workload, request, namespaceObject, review } = input;
  const viewed =
    object === undefined
      ? undefined
      : { workload, request, object, oldObject: view(input.oldObject), namespaceObject, review };
  known.set(input, viewed);
  return viewed;
}

function fieldOf(value: unknown, name: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return Object.hasOwn(value, name) ? Reflect.get(value, name) : undefined;
}
