// The compiled form of CEL (functions/core/cel/fast/) against the interpreter, on every
// rule of the shipped policies and objects that pass and break each: the same
// violations, word for word, and the same cost units spent, rule by rule. (A rule that
// fails on a CEL error goes back to the interpreter, whose words the user reads; its
// units may then differ by the variables other rules computed in the other engine.)
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileRuleProgram, defaultCelLimits } from '../../functions/core/cel/compile-rule-program.js';
import { accountOf } from '../../functions/core/cel/runtime-budget.js';
import { type CelLimits, compileCelRule } from '../../functions/core/policy/cel-rule.js';
import { policyFileSchema } from '../../functions/core/policy/policy-schema.js';
import { onPodViews } from '../../functions/core/rules/pod-views.js';
import type { RuleInput } from '../../functions/core/rules/rule.js';
import { readWorkload } from '../core/read-workload.js';
import {
  containerWith,
  deploymentOf,
  goodContainer,
  goodPodSpec,
  type PodSpec,
  podOf,
  securityWith,
  shippedFiles,
  specWith,
} from '../policies/shipped-policy.js';

const rules = shippedFiles.flatMap((file) => {
  const text = readFileSync(new URL(`../../deploy/policies/${file}`, import.meta.url), 'utf8');
  return policyFileSchema.parse(parse(text)).rules.flatMap((rule) => (rule.builtin === 'cel' ? [rule] : []));
});

function checksWith(limits: CelLimits) {
  return rules.map((rule) => {
    const check = compileCelRule(rule, limits);
    const kinds = rule.match.kinds ?? [];
    return { name: rule.name, kinds, check: kinds.includes('Pod') ? onPodViews(check) : check };
  });
}

const interpreted = checksWith({ ...defaultCelLimits, engine: 'interpreted' });
const compiled = checksWith(defaultCelLimits);

/** Each rule's violations and the units it spent, the rules run in order on one review. */
function outcomes(checks: typeof compiled, kind: string, object: unknown) {
  const { request, target } = readWorkload(kind, structuredClone(object));
  const input: RuleInput = { workload: target.workload, request, object: request.object, oldObject: null };
  const account = accountOf(request);
  return checks
    .filter((rule) => rule.kinds.includes(kind) || (kind !== 'Pod' && rule.kinds.includes('Pod')))
    .map((rule) => {
      const before = account.celUnitsSpent;
      const violations = rule.check(input).map(({ message }) => message);
      return { rule: rule.name, violations, spent: account.celUnitsSpent - before };
    });
}

function expectAlike(actual: ReturnType<typeof outcomes>, expected: ReturnType<typeof outcomes>): void {
  const failed = (violations: readonly string[]) => violations.some((text) => text.includes('could not be evaluated'));
  const comparable = (list: ReturnType<typeof outcomes>) =>
    list.map(({ rule, violations, spent }) => ({
      rule,
      violations,
      spent: failed(violations) ? 'not compared' : spent,
    }));
  expect(comparable(actual)).toEqual(comparable(expected));
}

const capabilities = (add: string[], drop = ['ALL']) => securityWith({ capabilities: { add, drop } });

const specs: [string, PodSpec][] = [
  ['the compliant pod', goodPodSpec()],
  ['host namespaces', specWith({ hostNetwork: true, hostPID: true, hostIPC: false })],
  ['a privileged container', containerWith(securityWith({ privileged: true }))],
  ['added capabilities', containerWith(capabilities(['NET_ADMIN', 'NET_BIND_SERVICE', 'CHOWN']))],
  ['no dropped capabilities', containerWith({ securityContext: { allowPrivilegeEscalation: false } })],
  [
    'a hostPath volume',
    specWith({
      volumes: [
        { name: 'root', hostPath: { path: '/' } },
        { name: 'e', emptyDir: {} },
      ],
    }),
  ],
  ['a host port', containerWith({ ports: [{ containerPort: 80, hostPort: 80 }, { containerPort: 81 }] })],
  ['no ports at all', containerWith({ ports: undefined })],
  ['AppArmor unconfined', containerWith(securityWith({ appArmorProfile: { type: 'Unconfined' } }))],
  ['an SELinux user', containerWith(securityWith({ seLinuxOptions: { user: 'root', type: 'spc_t' } }))],
  ['an unmasked proc mount', containerWith(securityWith({ procMount: 'Unmasked' }))],
  [
    'unsafe sysctls',
    specWith({ securityContext: { runAsNonRoot: true, sysctls: [{ name: 'kernel.x', value: '1' }] } }),
  ],
  ['a root user', containerWith(securityWith({ runAsUser: 0, runAsNonRoot: false }))],
  ['an unconfined seccomp profile', containerWith(securityWith({ seccompProfile: { type: 'Unconfined' } }))],
  ['escalation allowed', containerWith({ securityContext: { capabilities: { drop: ['ALL'] } } })],
  ['a volume of another type', specWith({ volumes: [{ name: 'n', nfs: { server: 'x', path: '/' } }] })],
  ['no probes', containerWith({ livenessProbe: undefined, readinessProbe: undefined })],
  ['no resources', containerWith({ resources: undefined })],
  [
    'a memory limit too large',
    containerWith({ resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '64Gi' } } }),
  ],
  [
    'a memory limit in bytes',
    containerWith({ resources: { requests: { cpu: 1, memory: 1e9 }, limits: { cpu: 2, memory: 1073741824 } } }),
  ],
  [
    'a memory limit that is no quantity',
    containerWith({ resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: 'lots' } } }),
  ],
  ['the latest tag', containerWith({ image: 'myregistry.azurecr.io/shop/web:latest' })],
  ['no tag', containerWith({ image: 'myregistry.azurecr.io/shop/web' })],
  ['a digest', containerWith({ image: `myregistry.azurecr.io/shop/web@sha256:${'a'.repeat(64)}` })],
  ['Docker Hub', containerWith({ image: 'nginx:1.27' })],
  ['a look-alike registry', containerWith({ image: 'myregistry.azurecr.io.evil.com/app:1' })],
  [
    'init and ephemeral containers',
    specWith({
      initContainers: [{ ...goodContainer('init'), image: 'busybox' }],
      ephemeralContainers: [{ name: 'debug', image: 'busybox:latest' }],
    }),
  ],
  ['a container without an image', containerWith({ image: undefined })],
  [
    'a non-root pod and a root container',
    specWith({
      securityContext: { runAsNonRoot: true },
      containers: [{ ...goodContainer(), securityContext: { runAsUser: 0 } }],
    }),
  ],
  [
    'fields of unexpected types',
    containerWith({ ports: 'none', securityContext: { capabilities: { drop: 'ALL' }, runAsUser: 0.5 } }),
  ],
  [
    'a double where an int is read',
    specWith({ securityContext: { runAsUser: 1.5, seccompProfile: { type: 'RuntimeDefault' } } }),
  ],
  ['an empty spec', {}],
];

const annotated: [string, Record<string, string>][] = [
  ['an AppArmor annotation', { 'container.apparmor.security.beta.kubernetes.io/web': 'unconfined' }],
  ['short annotation keys', { a: 'b', 'example.com/team': 'shop' }],
];

// A regular expression's first use charges its compilation (library-regex.ts): both
// engines use each pattern once before the comparisons.
outcomes(compiled, 'Pod', podOf(goodPodSpec()));
outcomes(interpreted, 'Pod', podOf(goodPodSpec()));

describe('compiled CEL against the interpreter on the shipped policies', () => {
  it.each(specs)('decides %s alike, word for word and unit for unit, in a Pod and a Deployment', (_what, spec) => {
    for (const [kind, object] of [
      ['Pod', podOf(spec)],
      ['Deployment', deploymentOf(spec)],
      ['Deployment', deploymentOf(spec, 1)],
    ] as const) {
      expectAlike(outcomes(compiled, kind, object), outcomes(interpreted, kind, object));
    }
  });

  it.each(annotated)('decides %s alike', (_what, annotations) => {
    const object = podOf(goodPodSpec(), annotations);
    expectAlike(outcomes(compiled, 'Pod', object), outcomes(interpreted, 'Pod', object));
  });

  it('compiles every shipped rule: none is left to the interpreter', () => {
    const interpretedOnly = rules.filter((rule) => compileRuleProgram(rule, defaultCelLimits).fast === undefined);
    expect(interpretedOnly.map((rule) => rule.name)).toEqual([]);
    expect(rules).toHaveLength(23);
  });

  it('finds what the rules are for: the cases above are not all allowed', () => {
    const denied = specs.filter(([, spec]) =>
      outcomes(compiled, 'Pod', podOf(spec)).some(({ violations }) => violations.length > 0),
    );
    expect(denied.length).toBeGreaterThan(25);
  });
});
