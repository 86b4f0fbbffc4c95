// Runs a CEL rule, as the policy file would write it, on a Deployment: the rule is
// compiled (compileCelRule) and its check run on the object read the webhook's way.
import { type CelLimits, type CelRuleSource, compileCelRule } from '../../functions/core/policy/cel-rule.js';
import type { RuleInput, Violation } from '../../functions/core/rules/rule.js';
import { type ReadOptions, readWorkload } from '../core/read-workload.js';

export type RuleText = Partial<CelRuleSource> & { failurePolicy?: 'Fail' | 'Ignore' };

export function celRule(rule: RuleText, limits?: CelLimits) {
  return compileCelRule({ name: 'test-rule', variables: [], validations: [], matchConditions: [], ...rule }, limits);
}

/** A Deployment named web in shop with the given replicas and containers. */
export function deployment(replicas: number, containers: readonly object[] = [{ name: 'web', image: 'nginx:1.27' }]) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers } },
    },
  };
}

export type HarnessOptions = ReadOptions & { namespaceObject?: unknown; limits?: CelLimits };

/** The input a check gets for `object` (a Deployment), read the webhook's way. */
export function inputFor(object: unknown, options: HarnessOptions = {}): RuleInput {
  const { request, target } = readWorkload('Deployment', object, options);
  return {
    workload: target.workload,
    request,
    object: request.object,
    oldObject: request.oldObject ?? null,
    ...(options.namespaceObject === undefined ? {} : { namespaceObject: options.namespaceObject }),
  };
}

/** The violations `rule` finds on `object` (a Deployment), with an optional Namespace object. */
export function violationsOf(rule: RuleText, object: unknown, options: HarnessOptions = {}): readonly Violation[] {
  return celRule(rule, options.limits)(inputFor(object, options));
}

/** The messages, and how long the check took (the object already read, as the webhook has it). */
export function timedMessagesOf(rule: RuleText, object: unknown, options: HarnessOptions = {}) {
  const check = celRule(rule, options.limits);
  const input = inputFor(object, options);
  const started = performance.now();
  const violations = check(input);
  return { messages: violations.map((violation) => violation.message), ms: performance.now() - started };
}

/** The messages only, for short assertions. */
export function messagesOf(...args: Parameters<typeof violationsOf>): string[] {
  return violationsOf(...args).map((violation) => violation.message);
}
