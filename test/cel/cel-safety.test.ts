// CEL rules under hostile policies and hostile objects: a rule whose worst case is too
// costly is refused when the policy loads (naming the rule and why); a rule whose
// evaluation on a large object goes over the runtime budget stops and answers per its
// failure policy; regular expressions run in linear time. Each case is timed, with
// generous bounds (the targets are 200 ms for the regex and the nested comprehension,
// 1 s for any evaluation on a 3 MiB object).
import { describe, expect, it } from 'vitest';
import { defaultCelLimits } from '../../functions/core/cel/compile-rule-program.js';
import { celRule, deployment, inputFor, messagesOf, timedMessagesOf } from './cel-rule-harness.js';

const containers = (count: number) =>
  Array.from({ length: count }, (_, index) => ({ name: `c${index}`, image: `nginx:1.${index}` }));
/** About 1.2 MiB: 30,000 containers. */
const large = deployment(3, containers(30_000));
/** About 3 MiB: 75,000 containers. */
const largest = deployment(3, containers(75_000));
const nested =
  'object.spec.template.spec.containers.all(c, object.spec.template.spec.containers.exists(d, d.name == c.name))';

/** The check's messages and time, the object read beforehand as the webhook reads it. */
function timedCheck(...args: Parameters<typeof timedMessagesOf>): { result: string[]; ms: number } {
  const { messages, ms } = timedMessagesOf(...args);
  return { result: messages, ms };
}

describe('the objects the safety cases use', () => {
  it('are as large as they say', () => {
    expect(JSON.stringify(large).length).toBeGreaterThan(1.1 * 1024 * 1024);
    expect(JSON.stringify(largest).length).toBeGreaterThan(2.9 * 1024 * 1024);
    expect(JSON.stringify(largest).length).toBeLessThan(3 * 1024 * 1024);
  });
});

describe('the static cost estimate', () => {
  it('refuses a comprehension over a list of the object inside another, naming the rule and why', () => {
    expect(() => messagesOf({ expression: nested, message: 'm' }, deployment(3))).toThrow(
      /^rule test-rule: the expression is too costly: its worst case is an estimated .* cost units, over the limit of 100,000,000 \(objects may be 3 MiB/,
    );
  });

  it('allows nested comprehensions that stay bounded: over a field of each element, or over a literal list', () => {
    const perElement =
      'object.spec.template.spec.containers.all(c, !has(c.ports) || c.ports.all(p, p.containerPort > 0))';
    const literal =
      "object.spec.template.spec.containers.all(c, ['nginx', 'busybox'].exists(i, c.image.startsWith(i)))";
    const params = {
      params: { registries: ['nginx', 'busybox'] },
      validations: [
        {
          expression: 'object.spec.template.spec.containers.all(c, params.registries.exists(r, c.image.startsWith(r)))',
        },
      ],
    };
    expect(messagesOf({ expression: perElement, message: 'm' }, deployment(3))).toEqual([]);
    expect(messagesOf({ expression: literal, message: 'm' }, deployment(3))).toEqual([]);
    expect(messagesOf(params, deployment(3))).toEqual([]);
  });

  it('reads the parsed expression, not its text: a ")" in a string does not hide or fake a comprehension', () => {
    const text =
      "object.metadata.name != ')' && object.spec.template.spec.containers.all(c, c.name != '(.all(x, true)')";
    expect(messagesOf({ expression: text, message: 'm' }, deployment(3))).toEqual([]);
  });
});

describe('the runtime budget', () => {
  const unlimitedEstimate = { ...defaultCelLimits, costLimit: Number.POSITIVE_INFINITY };

  it('stops the nested comprehension over a 1.2 MiB object (estimate lifted) well within a second', () => {
    const { result, ms } = timedCheck({ expression: nested, message: 'm' }, large, { limits: unlimitedEstimate });
    expect(result).toEqual([
      'deployment shop/web: rule test-rule could not be evaluated (it went over its cost budget of 1,000,000 units; the object is too large or the rule too costly).',
    ]);
    expect(ms).toBeLessThan(1000);
  });

  it('stops a nested two-variable comprehension over a 1.2 MiB object within a second', () => {
    const twoVariables =
      'object.spec.template.spec.containers.all(i, c, object.spec.template.spec.containers.exists(j, d, d.name == c.name))';
    expect(() => messagesOf({ expression: twoVariables, message: 'm' }, deployment(3))).toThrow('is too costly');
    const { result, ms } = timedCheck({ expression: twoVariables, message: 'm' }, large, { limits: unlimitedEstimate });
    expect(result).toEqual([expect.stringContaining('went over its cost budget of 1,000,000 units')]);
    expect(ms).toBeLessThan(1000);
  });

  it('answers per the failure policy: Ignore skips the rule', () => {
    const rule = { validations: [{ expression: nested }], failurePolicy: 'Ignore' as const };
    expect(messagesOf(rule, large, { limits: unlimitedEstimate })).toEqual([]);
  });

  it('evaluates typical rules on a 3 MiB object within a second each (75,000 containers: over the budget)', () => {
    for (const expression of [
      "object.spec.template.spec.containers.all(c, c.image.startsWith('nginx') && c.name.size() < 64)",
      "object.spec.template.spec.containers.exists(c, c.image.endsWith(':latest'))",
      'object.spec.template.spec.containers.map(c, c.name).size() > 0',
      'object.spec.template.spec.containers.all(c, !has(c.securityContext) || c.securityContext.privileged != true)',
    ]) {
      const { result, ms } = timedCheck({ expression, message: 'm' }, largest);
      expect(result.length).toBeLessThanOrEqual(1);
      expect(ms, expression).toBeLessThan(1000);
    }
  });

  it('stops an error in every element of a 3 MiB list within a second', () => {
    const expression = 'object.spec.template.spec.containers.all(c, c.ports.size() > 0)';
    const { result, ms } = timedCheck({ expression, message: 'm' }, largest);
    expect(result).toEqual([expect.stringContaining('could not be evaluated')]);
    expect(ms).toBeLessThan(1000);
  });
});

describe('the review budget', () => {
  it('bounds all the CEL rules of one review together: a rule after those that spent it stops, saying so', () => {
    const limits = { ...defaultCelLimits, reviewBudget: 1_000_000 };
    const expression = "object.spec.template.spec.containers.all(c, c.image.startsWith('nginx') && c.name.size() < 64)";
    const input = inputFor(large);
    const [first, second, third] = [1, 2, 3].map(() => celRule({ expression, message: 'm' }, limits));
    expect(first?.(input)).toEqual([]);
    expect(second?.(input)).toEqual([]);
    expect(third?.(input).map((violation) => violation.message)).toEqual([
      "deployment shop/web: rule test-rule could not be evaluated (the CEL rules before it spent most of the review's cost budget of 1,000,000 units; the object is too large or the rules too costly).",
    ]);
    expect(celRule({ expression, message: 'm' }, limits)(inputFor(large))).toEqual([]);
  });
});

describe('regular expressions', () => {
  it("runs '^(a+)+$' on a long string in linear time", () => {
    const object = {
      ...deployment(3),
      metadata: { name: 'web', namespace: 'shop', annotations: { note: `${'a'.repeat(100_000)}!` } },
    };
    const rule = { expression: "!object.metadata.annotations.note.matches('^(a+)+$')", message: 'm' };
    const { result, ms } = timedCheck(rule, object);
    expect(result).toEqual([]);
    expect(ms).toBeLessThan(1000);
  });

  it.each([
    ["object.metadata.name.matches('[')", '"[": missing closing ]'],
    ["object.metadata.name.matches('^(?=web)')", '"^(?=web)": invalid or unsupported Perl syntax'],
    ["object.metadata.name.find('a{2,1}') == ''", '"a{2,1}": invalid repeat count'],
    ["object.metadata.name.findAll('(', 1).size() == 0", '"(": missing closing )'],
  ])('refuses a literal pattern RE2 cannot compile when the policy loads: %s', (expression, reason) => {
    expect(() => messagesOf({ expression, message: 'm' }, deployment(3))).toThrow(
      `rule test-rule: the expression has a regular expression that does not compile (RE2 syntax): ${reason}`,
    );
  });

  it('loads a pattern computed at run time, which fails only when evaluated, per the failure policy', () => {
    const rule = { expression: "object.metadata.name.matches(object.metadata.name + '(')", message: 'm' };
    expect(messagesOf(rule, deployment(3))).toEqual([
      expect.stringContaining('rule test-rule could not be evaluated (error parsing regexp: missing closing )'),
    ]);
  });

  it('charges replace by the string it would make, before it makes it, and replaces in linear time', () => {
    const object = { ...deployment(1), spec: { ...deployment(1).spec, s: 'a'.repeat(3_000_000) } };
    const limits = { ...defaultCelLimits, costLimit: Number.POSITIVE_INFINITY };
    const growing = timedCheck(
      { expression: `object.spec.s.replace('a', '${'b'.repeat(1000)}') == ''`, message: 'm' },
      object,
      { limits },
    );
    expect(growing.result[0]).toMatch(/went over its cost budget/);
    expect(growing.ms).toBeLessThan(1000);
    const shorter = { ...object, spec: { ...object.spec, s: 'a'.repeat(1_000_000) } };
    const limited = timedCheck(
      { expression: "object.spec.s.replace('a', 'b', 999999).endsWith('ba')", message: 'm' },
      shorter,
      { limits },
    );
    expect(limited.result).toEqual([]);
    expect(limited.ms).toBeLessThan(1000);
  });

  it('replaces an empty string as Go does, before each character and at the end, whatever the limit', () => {
    expect(
      messagesOf(
        { expression: "'abc'.replace('', 'X', 2) == 'XaXbc' && 'abc'.replace('', 'X') == 'XaXbXcX'", message: 'm' },
        deployment(1),
      ),
    ).toEqual([]);
    const endless = timedCheck(
      { expression: "'abc'.replace('', '', 9223372036854775807) == 'abc'", message: 'm' },
      deployment(1),
    );
    expect(endless.result).toEqual([]);
    expect(endless.ms).toBeLessThan(1000);
  });
});
