// The built-in rules in CEL, deciding as the engine's checks do (functions/core/rules):
// the pod spec read wherever the kind keeps it, every container (init, regular and
// ephemeral; resources leaves ephemeral ones out, as Kubernetes gives them none),
// exemptImages and registries as the runtime reads images (vap-images.ts).

import type { RuleDefinition } from '../../functions/core/index.js';
import { celString, celStringList } from './cel-text.js';
import { allowedRegistryCel, exemptImagesRegex } from './vap-images.js';
import type { MatchCondition } from './vap-match.js';

/** The rule of one built-in, as the kernel's schema reads it. */
type Builtin<Name extends RuleDefinition['builtin']> = Extract<RuleDefinition, { builtin: Name }>;

/** The built-ins that check containers, each with its exemptImages. */
type ContainerRule = Extract<RuleDefinition, { exemptImages: readonly string[] }>;

export interface Validation {
  readonly expression: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly reason?: string;
}

export interface RuleCel {
  readonly variables: MatchCondition[];
  readonly validations: Validation[];
}

const podSpec = {
  name: 'podSpec',
  expression:
    "request.kind.kind == 'Pod' ? object.spec : request.kind.kind == 'CronJob' ? object.spec.?jobTemplate.?spec.?template.?spec.orValue({}) : object.spec.?template.?spec.orValue({})",
};
/**
 * The containers, read straight from `object` in each place a kind keeps its pod spec
 * (not through variables.podSpec): the engine's cost estimate then knows the lists are
 * parts of one object, so a loop over them costs one object's worth, not three.
 */
function parts(lists: readonly string[]): string {
  const sum = (spec: string) => lists.map((list) => `${spec}.?${list}.orValue([])`).join(' + ');
  // kubectl debug (pods/ephemeralcontainers): only the ephemeral containers, as the engine checks what it adds.
  const debug = lists.includes('ephemeralContainers') ? 'object.spec.?ephemeralContainers.orValue([])' : '[]';
  return `request.subResource == 'ephemeralcontainers' ? ${debug} : request.kind.kind == 'Pod' ? ${sum('object.spec')} : request.kind.kind == 'CronJob' ? ${sum('object.spec.?jobTemplate.?spec.?template.?spec')} : ${sum('object.spec.?template.?spec')}`;
}

/** The containers a container rule checks, exempt images left out. */
function containerVariables(rule: ContainerRule, kinds: readonly string[]): MatchCondition[] {
  const all = { name: 'containers', expression: parts(kinds) };
  if (rule.exemptImages.length === 0) return [podSpec, all, { name: 'checked', expression: 'variables.containers' }];
  const exempt = `has(c.image) && c.image.matches(${celString(exemptImagesRegex(rule.exemptImages))})`;
  return [podSpec, all, { name: 'checked', expression: `variables.containers.filter(c, !(${exempt}))` }];
}

/** One validation over every checked container, naming the containers that fail it. */
function eachContainer(ok: string, text: string): Validation {
  return {
    expression: `variables.checked.all(c, ${ok})`,
    message: `every container ${text}`,
    messageExpression: `'containers ' + variables.checked.filter(c, !(${ok})).map(c, string(c.name)).join(', ') + ' ${text.replace(/'/g, "\\'")}'`,
  };
}

const image = "c.?image.orValue('')";
const allContainers = ['initContainers', 'containers', 'ephemeralContainers'];

function imageTag(rule: Builtin<'image-tag'>): RuleCel {
  // The tag follows the last `:` of the last path segment, before any `@digest`.
  const tagged = celString('^[^@]*:[^/:@]*(@|$)');
  const latest = celString('^[^@]*:latest(@|$)');
  const ok = `${image}.contains('@sha256:') || (${image}.matches(${tagged}) && !${image}.matches(${latest}))`;
  return {
    variables: containerVariables(rule, allContainers),
    validations: [eachContainer(ok, 'must pin an image tag other than latest, or a digest')],
  };
}

function allowedRegistries(rule: Builtin<'allowed-registries'>): RuleCel {
  const ok = allowedRegistryCel(image, rule.registries);
  return {
    variables: containerVariables(rule, allContainers),
    validations: [eachContainer(ok, `must pull from an allowed registry (${rule.registries.join(', ')})`)],
  };
}

function resources(rule: Builtin<'resources'>): RuleCel {
  const declared = (list: readonly string[], field: string) =>
    list.map((resource) => `${celString(resource)} in c.?resources.?${field}.orValue({})`);
  const ok = [...declared(rule.requests, 'requests'), ...declared(rule.limits, 'limits')].join(' && ') || 'true';
  const named = [...rule.requests.map((name) => `requests.${name}`), ...rule.limits.map((name) => `limits.${name}`)];
  return {
    variables: containerVariables(rule, ['initContainers', 'containers']),
    validations: [eachContainer(ok, `must set resources ${named.join(', ')}`)],
  };
}

function runAsNonRoot(rule: Builtin<'run-as-non-root'>): RuleCel {
  const own = 'c.?securityContext.?runAsNonRoot.orValue(null)';
  const pod = 'variables.podSpec.?securityContext.?runAsNonRoot.orValue(null)';
  return {
    variables: containerVariables(rule, allContainers),
    validations: [
      eachContainer(
        `${own} == true || (${own} != false && ${pod} == true)`,
        'must run as non-root: set securityContext.runAsNonRoot: true on the pod or on each container',
      ),
    ],
  };
}

function minimumReplicas(rule: Builtin<'minimum-replicas'>): RuleCel {
  const replicas = "object.spec.?replicas.orValue(request.subResource == 'scale' ? 0 : 1)";
  const minimum = String(rule.minimum);
  return {
    variables: [{ name: 'replicas', expression: replicas }],
    validations: [
      {
        expression: `variables.replicas >= ${minimum}`,
        message: `spec.replicas must be at least ${minimum}`,
        messageExpression: `request.name + ' has ' + string(variables.replicas) + ' replicas; the minimum is ${minimum}. Set spec.replicas to ${minimum} or more.'`,
      },
    ],
  };
}

function requiredLabels(rule: Builtin<'required-labels'>): RuleCel {
  const list = celStringList(rule.labels);
  const present = "label in variables.labels && variables.labels[label] != ''";
  return {
    variables: [
      {
        name: 'labels',
        expression: "(request.operation == 'DELETE' ? oldObject : object).metadata.?labels.orValue({})",
      },
    ],
    validations: [
      {
        expression: `${list}.all(label, ${present})`,
        message: `metadata.labels must set ${rule.labels.join(', ')}`,
        messageExpression: `'missing the labels ' + ${list}.filter(label, !(${present})).join(', ')`,
      },
    ],
  };
}

function podRule(expression: string, message: string, messageExpression: string): RuleCel {
  return { variables: [podSpec], validations: [{ expression, message, messageExpression }] };
}

const hostFields = "['hostPID', 'hostIPC', 'hostNetwork']";
const shared = 'field in variables.podSpec && variables.podSpec[field] == true';

/** The CEL of a built-in rule; undefined for `cel` rules, which are exported as written. */
export function builtinCel(rule: RuleDefinition): RuleCel | undefined {
  switch (rule.builtin) {
    case 'minimum-replicas':
      return minimumReplicas(rule);
    case 'required-labels':
      return requiredLabels(rule);
    case 'image-tag':
      return imageTag(rule);
    case 'allowed-registries':
      return allowedRegistries(rule);
    case 'resources':
      return resources(rule);
    case 'no-privileged':
      return {
        variables: containerVariables(rule, allContainers),
        validations: [eachContainer('c.?securityContext.?privileged.orValue(false) != true', 'must not be privileged')],
      };
    case 'no-host-namespaces':
      return podRule(
        `!${hostFields}.exists(field, ${shared})`,
        "the pod must not share the host's namespaces (hostPID, hostIPC, hostNetwork)",
        `'shares the host\\'s namespaces: ' + ${hostFields}.filter(field, ${shared}).join(', ')`,
      );
    case 'no-host-path':
      return podRule(
        'variables.podSpec.?volumes.orValue([]).all(v, !has(v.hostPath))',
        'the pod must not mount hostPath volumes',
        "'mounts hostPath volumes: ' + variables.podSpec.?volumes.orValue([]).filter(v, has(v.hostPath)).map(v, string(v.name)).join(', ')",
      );
    case 'run-as-non-root':
      return runAsNonRoot(rule);
    default:
      return undefined;
  }
}
