// Compiled CEL (functions/core/cel/fast/) where a policy or an object is hostile: names
// and literals that would break generated JavaScript, fields every object inherits,
// values it does not take (it gives them back to the interpreter), and the budget.
import { describe, expect, it } from 'vitest';
import { toCelValue } from '../../functions/core/cel/cel-values.js';
import { compileExpression } from '../../functions/core/cel/compile-expression.js';
import { defaultCelLimits } from '../../functions/core/cel/compile-rule-program.js';
import { Deopt } from '../../functions/core/cel/fast/fast-values.js';
import { Budget, withBudget } from '../../functions/core/cel/runtime-budget.js';
import { deployment, messagesOf, type RuleText, timedMessagesOf } from './cel-rule-harness.js';

const interpreted = { ...defaultCelLimits, engine: 'interpreted' as const };

/** The messages of `rule` on `object`, compiled and interpreted: they must be the same. */
function bothWays(rule: RuleText, object: unknown) {
  return { compiled: messagesOf(rule, object), interpreted: messagesOf(rule, object, { limits: interpreted }) };
}

function isCompiled(text: string): boolean {
  const scope = { sizes: new Map([['object', 1024]]), counts: new Map(), depth: 0 };
  return compileExpression(text, { expected: 'any', scope, costLimit: Number.POSITIVE_INFINITY }).fast !== undefined;
}

const withSpec = (spec: object) => ({ ...deployment(1), spec: { ...deployment(1).spec, ...spec } });

describe('compiled CEL on hostile policies and objects', () => {
  it('keeps quotes, backslashes, line separators and template text literal in strings and field names', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a template's text, meant literally, is what is tested
    const strange = 'a"b\'c\\d\u2028e${f}`g</script>*/h';
    const expression = `object.metadata.name + ${JSON.stringify(strange)} == 'web' + ${JSON.stringify(strange)} && object.spec.?strangeField.orValue(${JSON.stringify(strange)}) == ${JSON.stringify(strange)}`;
    expect(isCompiled(expression)).toBe(true);
    const outcome = bothWays({ expression, message: 'strange' }, deployment(1));
    expect(outcome.compiled).toEqual([]);
    expect(outcome.compiled).toEqual(outcome.interpreted);
  });

  it.each([
    ['constructor', "object.spec.?constructor.orValue('none') == 'none'"],
    ['toString', "!has(object.spec.toString) && object.spec.?toString.orValue('') == ''"],
    ['__proto__', "object.spec.?__proto__.orValue('none') == 'none'"],
    ['hasOwnProperty', '!has(object.spec.hasOwnProperty)'],
  ])('reads no inherited %s as a field', (_name, expression) => {
    expect(isCompiled(expression)).toBe(true);
    const outcome = bothWays({ expression, message: 'inherited' }, deployment(1));
    expect(outcome.compiled).toEqual([]);
    expect(outcome.compiled).toEqual(outcome.interpreted);
  });

  it('reads a field named like an inherited one when the object sets it, as the interpreter does', () => {
    const object = JSON.parse(
      '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"shop"},"spec":{"__proto__":"set","toString":"also set","template":{"spec":{"containers":[]}}}}',
    );
    for (const expression of [
      "object.spec.?__proto__.orValue('none') == 'set'",
      "object.spec.toString == 'also set'",
    ]) {
      const outcome = bothWays({ expression, message: `not read: ${expression}` }, object);
      expect(outcome).toEqual({ compiled: [], interpreted: [] });
    }
  });

  it.each([
    ['a map with a constructor key', { securityContext: { constructor: 'x', runAsUser: 0 } }],
    ['a double added to an int', { weight: 1.5 }],
    ['a list where a map is read', { securityContext: ['runAsUser'] }],
    ['a string where a list is ranged', { containers: 'web' }],
  ])('gives %s back to the interpreter, which decides it as always', (_what, spec) => {
    const rule = {
      validations: [
        { expression: 'object.spec.?securityContext.?runAsUser.orValue(1) != 0', message: 'root' },
        { expression: 'object.spec.?weight.orValue(1) + 1 > 1', message: 'weight' },
        { expression: "object.spec.?containers.orValue([]).all(c, c != '')", message: 'containers' },
      ],
    };
    const outcome = bothWays(rule, withSpec(spec));
    expect(outcome.compiled).toEqual(outcome.interpreted);
  });

  it('stops a nested comprehension over a 1.2 MiB object within its budget, as the interpreter does', () => {
    const containers = Array.from({ length: 12_000 }, (_, index) => ({ name: `c${index}`, image: 'nginx:1.27' }));
    const expression =
      'object.spec.template.spec.containers.all(c, object.spec.template.spec.containers.exists(d, d.name == c.name))';
    expect(isCompiled(expression)).toBe(true);
    const limits = { ...defaultCelLimits, costLimit: Number.POSITIVE_INFINITY };
    const compiled = timedMessagesOf({ expression, message: 'm' }, deployment(1, containers), { limits });
    const slow = timedMessagesOf({ expression, message: 'm' }, deployment(1, containers), {
      limits: { ...limits, engine: 'interpreted' },
    });
    expect(compiled.messages).toEqual(slow.messages);
    expect(compiled.messages[0]).toMatch(/went over its cost budget of 1,000,000 units/);
    expect(compiled.ms).toBeLessThan(1000);
  });
});

/** Value (or error) and units of `text` on `object`, interpreted and compiled. */
function unitsBothWays(text: string, object: unknown) {
  const scope = { sizes: new Map([['object', 1024]]), counts: new Map(), depth: 0 };
  const expression = compileExpression(text, { expected: 'any', scope, costLimit: Number.POSITIVE_INFINITY });
  const run = (evaluate: (budget: Budget) => unknown) => {
    const budget = new Budget(Number.MAX_SAFE_INTEGER);
    try {
      return { value: withBudget(budget, () => evaluate(budget)), spent: budget.spent };
    } catch (error) {
      return { error: error instanceof Deopt ? 'gave back' : 'error', spent: budget.spent };
    }
  };
  const activation = {
    object: toCelValue(object),
    oldObject: null,
    request: null,
    namespaceObject: null,
    params: null,
  };
  const fast = expression.fast;
  if (fast === undefined) throw new Error(`not compiled: ${text}`);
  return {
    interpreted: run(() => expression.evaluate({ ...activation, variables: {} })),
    compiled: run((budget) => fast({ budget, ...activation, object, variable: () => Number.NaN })),
  };
}

describe('compiled CEL where the library has its own ways (a hostile review, 2026-12-03)', () => {
  const foreign = {
    ...deployment(1),
    metadata: { name: 'web', namespace: 'shop', labels: { constructor: 'x', app: 'web' } },
    data: { constructor: '2' },
    items: [{ constructor: 1 }],
  };

  it.each([
    'has(object.metadata.labels)',
    'object.metadata.?labels.hasValue()',
    'object.?data.orValue(null) == null',
    'object.metadata.labels != null',
    "object.items.all(x, x != 'a')",
  ])('gives a map with a field named constructor, taken whole, to the interpreter: %s', (expression) => {
    const outcome = bothWays({ expression, message: 'decided' }, foreign);
    expect(outcome.compiled).toEqual(outcome.interpreted);
  });

  it.each([
    "size({'prototype': 1}) == 0",
    "!('prototype' in {'prototype': 1})",
    "{'prototype': 1, 'b': 2}.all(k, k == 'b')",
    "[[], 'toString'].all(x, true)",
  ])('decides map and list literals as the library does: %s', (expression) => {
    const outcome = bothWays({ expression, message: 'decided' }, deployment(1));
    expect(outcome.compiled).toEqual(outcome.interpreted);
  });

  it("evaluates a call's arguments last first, then its receiver, as the library does: the same units", () => {
    const object = { metadata: { name: 'x'.repeat(5000) } };
    for (const text of [
      'object.nope.startsWith(object.metadata.name + object.metadata.name) || true',
      '[object.metadata.name + object.metadata.name, object.nope].size() == 0 || true',
    ])
      expect(unitsBothWays(text, object).compiled).toEqual(unitsBothWays(text, object).interpreted);
  });

  it('charges what size() counts: a loop over a large string or map stops on the budget, in both engines', () => {
    const spec = {
      s: 'x'.repeat(200_000),
      m: Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i])),
    };
    const object = withSpec({ ...spec, l: Array.from({ length: 20_000 }, (_, i) => i) });
    for (const expression of [
      'object.spec.l.all(x, size(object.spec.s) > 0)',
      'object.spec.l.all(x, size(object.spec.m) > 0)',
    ]) {
      const limits = { ...defaultCelLimits, costLimit: Number.POSITIVE_INFINITY };
      const compiled = timedMessagesOf({ expression, message: 'm' }, object, { limits });
      const slow = timedMessagesOf({ expression, message: 'm' }, object, {
        limits: { ...limits, engine: 'interpreted' },
      });
      expect(compiled.messages[0]).toMatch(/went over its cost budget/);
      expect(slow.messages).toEqual(compiled.messages);
      expect(compiled.ms + slow.ms).toBeLessThan(2000);
    }
  });

  it('charges join by the string it would make, before it makes it', () => {
    // 200 times 3 MB is past the longest string JavaScript makes: built first, it fails on that instead.
    const object = withSpec({ s: 'x'.repeat(3_000_000) });
    const expression = `[${Array.from({ length: 200 }, () => 'object.spec.s').join(', ')}].join() == ''`;
    const limits = { ...defaultCelLimits, costLimit: Number.POSITIVE_INFINITY };
    for (const engine of ['compiled', 'interpreted'] as const) {
      const { messages, ms } = timedMessagesOf({ expression, message: 'm' }, object, { limits: { ...limits, engine } });
      expect(messages[0]).toMatch(/went over its cost budget/);
      expect(ms).toBeLessThan(500);
    }
  });
});
