// A rule's match, compiled: the kinds it applies to (its defaults, and the workload
// kinds a CEL rule for Pods also runs on), its operations, namespaces and selectors.
// What a built-in rule cannot read is refused here, naming the rule.
import { compilePattern } from '../patterns.js';
import type { RuleMatch } from '../rules/rule.js';
import { anyKind, isWorkloadKind, replicatedKinds, workloadKinds } from '../workload-kinds.js';
import type { RuleDefinition } from './policy-schema.js';

type Builtin = RuleDefinition['builtin'];

/** Built-in rules that read a pod spec: they apply to the workload kinds only. */
const podSpecRules: ReadonlySet<Builtin> = new Set([
  'image-tag',
  'allowed-registries',
  'resources',
  'no-privileged',
  'no-host-namespaces',
  'no-host-path',
  'run-as-non-root',
]);

/** Built-in rules about each container: they also see the ephemeral containers kubectl debug adds. */
export const containerRules: ReadonlySet<string> = new Set<Builtin>([
  'image-tag',
  'allowed-registries',
  'resources',
  'no-privileged',
  'run-as-non-root',
]);

/**
 * Whether a rule also sees `kubectl debug` (a pods/ephemeralcontainers UPDATE, whose
 * object is the Pod with the added containers): the container built-ins, and CEL rules
 * written for Pods, which read the ephemeral containers with the others, as Pod
 * Security Admission does. `export vap` registers the subresource for the same rules.
 */
export function seesEphemeralContainers(builtin: string, kinds: readonly string[] | undefined): boolean {
  if (builtin === 'cel') return (kinds ?? []).includes('Pod');
  return containerRules.has(builtin);
}

/** Whether a CEL rule for Pods also runs, on the Pod view, for the workloads that make Pods. */
export function runsOnPodViews(rule: RuleDefinition): boolean {
  return rule.builtin === 'cel' && rule.autogen && (rule.match.kinds ?? []).includes('Pod');
}

export function compileMatch(rule: RuleDefinition): RuleMatch {
  const { match } = rule;
  refuseWhatItCannotRead(rule);
  const defaultKinds = rule.builtin === 'minimum-replicas' ? replicatedKinds : workloadKinds;
  const named = match.kinds ?? defaultKinds;
  const kinds = runsOnPodViews(rule) ? [...new Set([...named, ...workloadKinds])] : named;
  const include = match.namespaces.include.length > 0 ? match.namespaces.include : ['*'];
  return {
    kinds,
    operations: match.operations,
    includeNamespaces: include.map(compilePattern),
    excludeNamespaces: match.namespaces.exclude.map(compilePattern),
    labelSelector: match.objectSelector ?? match.labelSelector,
    namespaceSelector: match.namespaceSelector,
  };
}

function refuseWhatItCannotRead(rule: RuleDefinition): void {
  const { builtin, name, match } = rule;
  if (builtin === 'cel' || builtin === 'required-labels') return;
  const otherOperations = (match.operations ?? []).filter(
    (operation) => operation !== 'CREATE' && operation !== 'UPDATE',
  );
  if (otherOperations.length > 0) {
    throw new Error(
      `rule ${name}: ${builtin} checks objects being created or updated; ${otherOperations.join(' and ')} ${otherOperations.length === 1 ? 'is' : 'are'} for cel and required-labels rules`,
    );
  }
  const kinds = match.kinds ?? [];
  const unreadable = kinds.filter((kind) => kind === anyKind || !isWorkloadKind(kind));
  if (unreadable.length === 0) return;
  const reads = podSpecRules.has(builtin) ? 'a pod spec' : 'spec.replicas';
  const readable = podSpecRules.has(builtin) ? workloadKinds : replicatedKinds;
  throw new Error(
    `rule ${name}: ${builtin} reads ${reads}, which ${unreadable.join(', ')} ${unreadable.length === 1 ? 'does' : 'do'} not have; it can check ${readable.join(', ')}`,
  );
}
