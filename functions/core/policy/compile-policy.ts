// Turns a validated policy file into the compiled policy the decision core runs:
// patterns compiled, built-in checks built, CEL compiled. Throws naming the rule.

import { defaultCelLimits } from '../cel/compile-rule-program.js';
import { compilePattern, type Pattern } from '../patterns.js';
import type { Policy } from '../policy.js';
import * as builtins from '../rules/builtin-rules.js';
import { onPodViews } from '../rules/pod-views.js';
import type { CompiledRule } from '../rules/rule.js';
import { type CelLimits, compileCelRule } from './cel-rule.js';
import { checkApprovable, compileApprovalRoutes } from './compile-approvals.js';
import { compileMatch, runsOnPodViews, seesEphemeralContainers } from './compile-match.js';
import type { PolicyFile, RuleDefinition } from './policy-schema.js';

export interface NotificationRoute {
  readonly namespaces: readonly Pattern[];
  readonly to: readonly string[];
  /** Texted when a text to `to` is reported undelivered (delivery receipts); none when absent. */
  readonly fallback?: readonly string[];
  /** Sent the daily digest (the previous UTC day's counts per cluster); false when absent. */
  readonly digest?: boolean;
  /** Approve by reply: who may admit denials by `approvable` rules (E.164); none when absent. */
  readonly approvers?: readonly string[];
  /** Two-person rule: 2 when two different approvers must reply; 1 when absent. */
  readonly approvals?: 1 | 2;
}

export interface CompiledPolicyFile {
  readonly policy: Policy;
  readonly routes: readonly NotificationRoute[];
}

export interface CompileOptions {
  /** How CEL rules run: compiled (the default, fast/), or interpreted only (what the bench compares). */
  readonly engine?: CelLimits['engine'];
}

export function compilePolicy(file: PolicyFile, options: CompileOptions = {}): CompiledPolicyFile {
  const limits: CelLimits =
    options.engine === undefined ? defaultCelLimits : { ...defaultCelLimits, engine: options.engine };
  const names = new Set<string>();
  const rules = file.rules.map((rule) => {
    if (names.has(rule.name)) throw new Error(`rule ${rule.name}: the name is used twice`);
    names.add(rule.name);
    return compileRule(rule, limits);
  });
  const patterns = (values: readonly string[]) => values.map(compilePattern);
  const policy: Policy = {
    rules,
    exemptions: file.exemptions.map((exemption) => ({
      namespaces: patterns(exemption.namespaces),
      names: patterns(exemption.names),
      users: patterns(exemption.users),
      groups: patterns(exemption.groups),
    })),
    notifications: {
      created: file.notifications.created,
      changed: file.notifications.changed,
      kinds: file.notifications.kinds,
      scale: file.notifications.scale,
    },
    approvalRoutes: compileApprovalRoutes(file.notifications.routes),
  };
  const routes = file.notifications.routes.map((route) => ({
    namespaces: patterns(route.namespaces),
    to: route.to,
    fallback: route.fallback ?? [],
    digest: route.digest,
    approvers: route.approvers,
    approvals: route.approvals,
  }));
  return Object.freeze({ policy: Object.freeze(policy), routes });
}

function compileRule(rule: RuleDefinition, limits: CelLimits): CompiledRule {
  const check = buildCheck(rule, limits);
  return {
    name: rule.name,
    action: rule.action,
    notify: rule.notify ?? rule.action === 'deny',
    checksScale: rule.builtin === 'minimum-replicas',
    checksEphemeralContainers: seesEphemeralContainers(rule.builtin, rule.match.kinds),
    failurePolicy: rule.failurePolicy,
    approvable: checkApprovable(rule),
    match: compileMatch(rule),
    check: runsOnPodViews(rule) ? onPodViews(check) : check,
  };
}

function buildCheck(rule: RuleDefinition, limits: CelLimits): builtins.Check {
  switch (rule.builtin) {
    case 'minimum-replicas':
      return builtins.minimumReplicas(rule.minimum);
    case 'required-labels':
      return builtins.requiredLabels(rule.labels);
    case 'image-tag':
      return builtins.imageTag(rule.exemptImages.map(compilePattern));
    case 'allowed-registries':
      return builtins.allowedRegistries(rule.registries, rule.exemptImages.map(compilePattern));
    case 'resources':
      return builtins.resources(rule.requests, rule.limits, rule.exemptImages.map(compilePattern));
    case 'no-privileged':
      return builtins.noPrivileged(rule.exemptImages.map(compilePattern));
    case 'no-host-namespaces':
      return builtins.noHostNamespaces();
    case 'no-host-path':
      return builtins.noHostPath();
    case 'run-as-non-root':
      return builtins.runAsNonRoot(rule.exemptImages.map(compilePattern));
    case 'cel':
      return compileCelRule(rule, limits);
  }
}
