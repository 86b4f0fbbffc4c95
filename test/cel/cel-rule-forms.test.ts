// CEL rules as a ValidatingAdmissionPolicy writes them: variables, validations with
// message, messageExpression and reason, matchConditions, params, failurePolicy, and
// the variables object, oldObject, request and namespaceObject.
import { describe, expect, it } from 'vitest';
import { buildActivation } from '../../functions/core/cel/activation.js';
import { readWorkload } from '../core/read-workload.js';
import { deployment, messagesOf, violationsOf } from './cel-rule-harness.js';

const validation = (expression: string, message = 'denied') => ({ validations: [{ expression, message }] });

describe('the short form (expression and message)', () => {
  it('denies with its message and allows what the expression accepts, as before', () => {
    const rule = { expression: 'object.spec.replicas <= 5', message: 'at most 5 replicas' };
    expect(messagesOf(rule, deployment(6))).toEqual(['deployment shop/web: at most 5 replicas']);
    expect(messagesOf(rule, deployment(5))).toEqual([]);
  });

  it('reads JSON integers as CEL ints, so modulo and int comparisons work', () => {
    const rule = { expression: 'object.spec.replicas % 2 == 1 && object.spec.replicas == 3', message: 'odd' };
    expect(messagesOf(rule, deployment(3))).toEqual([]);
    expect(messagesOf(rule, deployment(4))).toEqual(['deployment shop/web: odd']);
  });
});

describe('variables', () => {
  it('are visible as variables.<name>', () => {
    const rule = {
      variables: [{ name: 'containers', expression: 'object.spec.template.spec.containers' }],
      ...validation("variables.containers.all(c, c.image != '') && size(variables.containers) < 3", 'bad containers'),
    };
    expect(messagesOf(rule, deployment(3))).toEqual([]);
    const three = [1, 2, 3].map((n) => ({ name: `c${n}`, image: 'nginx:1' }));
    expect(messagesOf(rule, deployment(3, three))).toEqual(['deployment shop/web: bad containers']);
  });

  it('are evaluated when first named, and at most once', () => {
    let evaluations = 0;
    const compiled = { text: '1', cost: 1, size: 1, evaluate: () => ++evaluations };
    const request = readWorkload('Deployment', deployment(3)).request;
    const activation = buildActivation({ request, object: {}, oldObject: null }, null, [{ name: 'n', compiled }]);
    expect(evaluations).toBe(0);
    const variables = activation.variables as Record<string, unknown>;
    expect([variables.n, variables.n, variables.n]).toEqual([1, 1, 1]);
    expect(evaluations).toBe(1);
  });

  it('may name the variables before them', () => {
    const rule = {
      variables: [
        { name: 'replicas', expression: 'object.spec.replicas' },
        { name: 'enough', expression: 'variables.replicas >= 3' },
      ],
      ...validation('variables.enough'),
    };
    expect(messagesOf(rule, deployment(2))).toEqual(['deployment shop/web: denied']);
  });

  it('refuses a variable that is not declared before it is named', () => {
    const rule = {
      variables: [
        { name: 'a', expression: 'variables.b' },
        { name: 'b', expression: '1' },
      ],
      ...validation('true'),
    };
    expect(() => messagesOf(rule, deployment(3))).toThrow(
      'rule test-rule: variables[0] (a) names variables.b, which is not declared before it in variables',
    );
    expect(() => messagesOf(validation('variables.missing > 1'), deployment(3))).toThrow(
      'validations[0].expression names variables.missing',
    );
  });

  it('refuses a name used twice, naming the rule', () => {
    const twice = { name: 'x', expression: '1' };
    expect(() => messagesOf({ variables: [twice, twice], ...validation('true') }, deployment(3))).toThrow(
      'rule test-rule: variables[1] (x) is named twice',
    );
  });
});

describe('validations', () => {
  it('says the messageExpression, with the reason', () => {
    const rule = {
      validations: [
        {
          expression: 'object.spec.replicas >= 3',
          messageExpression: "'replicas is ' + string(object.spec.replicas) + ', the minimum is 3'",
          reason: 'Invalid' as const,
        },
      ],
    };
    expect(messagesOf(rule, deployment(2))).toEqual(['deployment shop/web: replicas is 2, the minimum is 3 (Invalid)']);
  });

  it('falls back to the message when the messageExpression fails, and to the expression without one', () => {
    const failing = { validations: [{ expression: 'false', message: 'plain', messageExpression: 'object.nope' }] };
    expect(messagesOf(failing, deployment(3))).toEqual(['deployment shop/web: plain']);
    expect(messagesOf({ validations: [{ expression: '1 > 2' }] }, deployment(3))).toEqual([
      'deployment shop/web: failed expression: 1 > 2',
    ]);
  });

  it('reports every validation that fails', () => {
    const rule = {
      validations: [
        { expression: 'false', message: 'one' },
        { expression: 'false', message: 'two' },
      ],
    };
    expect(messagesOf(rule, deployment(3))).toEqual(['deployment shop/web: one', 'deployment shop/web: two']);
  });

  it.each([
    ['a string field', 'object.metadata.name', 'gives the field name, which is not a bool'],
    ['an int', '1 + 2', 'gives an int, not a bool'],
    ['a string', "'yes'", 'gives a string, not a bool'],
  ])('refuses %s where a bool is needed, naming the rule', (_what, expression, why) => {
    expect(() => messagesOf(validation(expression), deployment(3))).toThrow(
      `rule test-rule: validations[0].expression ${why}`,
    );
  });

  it('refuses a messageExpression that is not a string', () => {
    const rule = { validations: [{ expression: 'true', messageExpression: '1' }] };
    expect(() => messagesOf(rule, deployment(3))).toThrow(
      'rule test-rule: validations[0].messageExpression gives an int, not a string',
    );
  });

  it('refuses a rule with both forms or neither', () => {
    expect(() => messagesOf({ expression: 'true', message: 'm', ...validation('true') }, deployment(3))).toThrow(
      'set expression and message, or validations, not both',
    );
    expect(() => messagesOf({}, deployment(3))).toThrow('needs an expression and a message, or validations');
    expect(() => messagesOf({ message: 'm', ...validation('true') }, deployment(3))).toThrow(
      'message goes with expression; give each validation its own message',
    );
  });
});

describe('matchConditions', () => {
  const onlyProd = [{ name: 'prod', expression: "object.metadata.namespace.startsWith('prod-')" }];

  it('skip the rule unless all are true', () => {
    const rule = { matchConditions: onlyProd, ...validation('false') };
    expect(messagesOf(rule, deployment(3))).toEqual([]);
    const prod = { ...deployment(3), metadata: { name: 'web', namespace: 'prod-shop' } };
    expect(messagesOf(rule, prod, { namespace: 'prod-shop' })).toEqual([
      'deployment shop/web: denied'.replace('shop', 'prod-shop'),
    ]);
  });

  it('answer an error per the failure policy: Fail denies saying why, Ignore skips the rule', () => {
    const broken = [{ name: 'broken', expression: 'object.spec.nothing == 1' }];
    const failing = messagesOf({ matchConditions: broken, ...validation('true') }, deployment(3));
    expect(failing).toEqual([expect.stringMatching(/rule test-rule could not be evaluated \(.*nothing/)]);
    expect(
      messagesOf({ matchConditions: broken, failurePolicy: 'Ignore', ...validation('false') }, deployment(3)),
    ).toEqual([]);
  });
});

describe('the variables an expression sees', () => {
  it('params, given in the rule', () => {
    const rule = {
      params: { maxReplicas: 4, registries: ['docker.io/'] },
      ...validation('object.spec.replicas <= params.maxReplicas'),
    };
    expect(messagesOf(rule, deployment(4))).toEqual([]);
    expect(messagesOf(rule, deployment(5))).toEqual(['deployment shop/web: denied']);
  });

  it('namespaceObject, null until the namespace is supplied', () => {
    const rule = validation("namespaceObject == null || namespaceObject.metadata.labels.env != 'prod'");
    expect(messagesOf(rule, deployment(3))).toEqual([]);
    const prod = { metadata: { name: 'shop', labels: { env: 'prod' } } };
    expect(messagesOf(rule, deployment(3), { namespaceObject: prod })).toEqual(['deployment shop/web: denied']);
  });

  it('oldObject on an update, null on a create, and request.userInfo', () => {
    const noScaleDown = validation('oldObject == null || object.spec.replicas >= oldObject.spec.replicas');
    expect(messagesOf(noScaleDown, deployment(3))).toEqual([]);
    expect(messagesOf(noScaleDown, deployment(3), { oldObject: deployment(5) })).toEqual([
      'deployment shop/web: denied',
    ]);
    const user = validation("request.userInfo.username == '' && request.operation == 'CREATE'");
    expect(violationsOf(user, deployment(3))).toEqual([]);
  });

  it('optionals and has() under an index', () => {
    const rule = validation(
      'object.spec.?paused.orValue(false) == false && has(object.spec.template.spec.containers[0].image)',
    );
    expect(messagesOf(rule, deployment(3))).toEqual([]);
    expect(messagesOf(rule, deployment(3, [{ name: 'web' }]))).toEqual(['deployment shop/web: denied']);
  });
});
