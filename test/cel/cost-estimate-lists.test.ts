// The static cost estimate on the list shapes the shipped Pod Security rules use: the
// containers, init and ephemeral containers summed (parts of one object), filtered and
// mapped, then joined in a message. Each stays linear in the object, as it runs; a
// comprehension over a whole list inside another still multiplies.
import { describe, expect, it } from 'vitest';
import { rootOf } from '../../functions/core/cel/cel-ast.js';
import { celEnvironment } from '../../functions/core/cel/cel-environment.js';
import { compileRuleProgram, defaultCelLimits } from '../../functions/core/cel/compile-rule-program.js';
import { estimateCost, maxObjectBytes } from '../../functions/core/cel/cost-estimate.js';

const sizes = new Map([['object', maxObjectBytes]]);
const elements = maxObjectBytes / 3;

function estimate(expression: string, params?: unknown) {
  const program = celEnvironment().parse(expression);
  program.check();
  return estimateCost(rootOf(program), { sizes, depth: 0, params });
}

const allContainers =
  'object.spec.?containers.orValue([]) + object.spec.?initContainers.orValue([]) + object.spec.?ephemeralContainers.orValue([])';

describe('the cost estimate of lists', () => {
  it('bounds a sum of distinct parts of the object by the object', () => {
    expect(estimate(allContainers).size).toBe(maxObjectBytes);
  });

  it('does not bound a sum of a part with itself, or with a part inside it', () => {
    expect(estimate('object.spec.containers + object.spec.containers').size).toBe(2 * maxObjectBytes);
    expect(estimate('object.spec + object.spec.containers').size).toBe(2 * maxObjectBytes);
    expect(estimate('object.spec.containers + object.spec.?x.orValue(object.spec)').size).toBe(2 * maxObjectBytes);
  });

  it('counts what a filter or a map yields as at most one element per element read', () => {
    const names = estimate('object.spec.containers.filter(c, c.privileged).map(c, c.name)');
    expect(names.count).toBe(elements);
    expect(names.size).toBe(maxObjectBytes);
  });

  it('charges `in` over a params list its length, not its bytes', () => {
    const params = { allowed: ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD'] };
    const { cost } = estimate('object.spec.containers.all(c, c.name in params.allowed)', params);
    expect(cost).toBeLessThan(15 * elements);
    expect(cost).toBeGreaterThan(7 * elements);
  });

  it('sizes a conditional by its branches, not its condition', () => {
    expect(estimate("object.spec.containers.exists(c, c.x) ? 'yes' : 'no'").size).toBe(3);
  });

  it('still multiplies a comprehension over the whole list inside another', () => {
    const { cost } = estimate(`(${allContainers}).all(c, object.spec.containers.exists(d, d.name == c.name))`);
    expect(cost).toBeGreaterThan(elements * elements);
  });

  it('lets a message map over a filtered variable, as the capability rules do', () => {
    const rule = {
      name: 'capabilities',
      params: { allowed: ['CHOWN', 'KILL'] },
      matchConditions: [],
      variables: [
        { name: 'containers', expression: allContainers },
        {
          name: 'adding',
          expression:
            'variables.containers.filter(c, c.?securityContext.?capabilities.?add.orValue([]).exists(a, !(a in params.allowed)))',
        },
      ],
      validations: [
        {
          expression: 'size(variables.adding) == 0',
          messageExpression:
            "variables.adding.map(c, c.name + ' adds ' + c.securityContext.capabilities.add.filter(a, !(a in params.allowed)).join(', ')).join('; ')",
        },
      ],
    };
    const program = compileRuleProgram(rule, defaultCelLimits);
    expect(program.validations[0]?.messageExpression?.cost).toBeLessThan(defaultCelLimits.costLimit);
  });
});
