// What the CEL rules of one review share, so that a policy of many rules does the
// common work once: the Pod view of a workload, and the value of a variable that
// reads nothing but `object`. What depends on the rule (params, other variables) or
// on the budget (an error) stays each rule's own.
import { describe, expect, it } from 'vitest';
import { buildActivation, type NamedExpression } from '../../functions/core/cel/activation.js';
import type { CompiledExpression } from '../../functions/core/cel/compile-expression.js';
import { onPodViews } from '../../functions/core/rules/pod-views.js';
import type { RuleInput } from '../../functions/core/rules/rule.js';
import { deployment, inputFor } from './cel-rule-harness.js';

/** A variable whose evaluations are counted. */
function countedVariable(name: string, text: string, evaluate: () => unknown = () => 'value') {
  const counter = { evaluations: 0 };
  const compiled: CompiledExpression = {
    text,
    cost: 1,
    size: 1,
    evaluate: () => {
      counter.evaluations += 1;
      return evaluate();
    },
  };
  const variables: readonly NamedExpression[] = [{ name, compiled }];
  return { counter, variables };
}

function read(activation: Record<string, unknown>, name: string): unknown {
  return Reflect.get(Object(activation.variables), name);
}

describe('variables shared by the rules of one review', () => {
  const input = inputFor(deployment(3));

  it('computes a variable that reads only object once for every rule that declares it', () => {
    const text = 'object.spec.?containers.orValue([])';
    const [first, second] = [countedVariable('containers', text), countedVariable('containers', text)];
    expect(read(buildActivation(input, null, first.variables), 'containers')).toBe('value');
    expect(read(buildActivation(input, null, second.variables), 'containers')).toBe('value');
    expect(first.counter.evaluations + second.counter.evaluations).toBe(1);
  });

  it('computes it again for another review', () => {
    const { counter, variables } = countedVariable('spec', 'object.spec');
    read(buildActivation(input, null, variables), 'spec');
    read(buildActivation(inputFor(deployment(3)), null, variables), 'spec');
    expect(counter.evaluations).toBe(2);
  });

  it.each([
    'params.allowed',
    'variables.containers.size()',
    'oldObject.spec',
    'request.userInfo.username',
    'namespaceObject.metadata',
  ])('keeps %s to each rule: it reads more than object', (text) => {
    const { counter, variables } = countedVariable('x', text);
    read(buildActivation(input, null, variables), 'x');
    read(buildActivation(input, null, variables), 'x');
    expect(counter.evaluations).toBe(2);
  });

  it('does not share an error: the next rule evaluates the variable itself', () => {
    const { counter, variables } = countedVariable('failing', 'object.missing', () => {
      throw new Error('no such key');
    });
    expect(() => read(buildActivation(input, null, variables), 'failing')).toThrow('no such key');
    expect(() => read(buildActivation(input, null, variables), 'failing')).toThrow('no such key');
    expect(counter.evaluations).toBe(2);
  });
});

describe('the Pod view of a workload', () => {
  it('is the same object for every rule of a review, and a new one for the next review', () => {
    const seen: unknown[] = [];
    const check = onPodViews((viewed: RuleInput) => {
      seen.push(viewed.object);
      return [];
    });
    const input = inputFor(deployment(3));
    check(input);
    check(input);
    check(inputFor(deployment(3)));
    expect(seen[0]).toBe(seen[1]);
    expect(seen[2]).not.toBe(seen[0]);
    expect(seen[2]).toEqual(seen[0]);
  });
});
