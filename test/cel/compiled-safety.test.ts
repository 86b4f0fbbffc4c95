// Compiled CEL (functions/core/cel/fast/) where a policy or an object is hostile: names
// and literals that would break generated JavaScript, fields every object inherits,
// values it does not take (it gives them back to the interpreter), and the budget.
import { describe, expect, it } from 'vitest';
import { compileExpression } from '../../functions/core/cel/compile-expression.js';
import { defaultCelLimits } from '../../functions/core/cel/compile-rule-program.js';
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
