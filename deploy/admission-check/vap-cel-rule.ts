// A `cel` rule as a ValidatingAdmissionPolicy's variables, validations and
// matchConditions, which are already its words. Two things are rewritten:
// - params: inlined as a CEL literal, the variable `params` (expressions read
//   `variables.params`; matchConditions, which cannot see variables, the literal). A
//   paramKind would need a CRD or a ConfigMap and a paramRef per binding, for values
//   that are the policy's own constants.
// - autogen (a rule for Pods also runs on the workloads' pod templates): one policy
//   that matches Pods and the workload kinds, with the variables podObject and
//   oldPodObject giving the Pod view by request.kind.kind (spec.template, or
//   spec.jobTemplate.spec.template for a CronJob), as the engine's onPodViews does.

import type { RuleDefinition } from '../../functions/core/index.js';
import { jsonToCel, renameIdentifiers } from './cel-text.js';
import type { RuleCel } from './vap-builtin-cel.js';
import { workloadKinds } from './vap-kinds.js';
import type { MatchCondition } from './vap-match.js';

export interface CelRuleExport {
  readonly cel: RuleCel;
  readonly matchConditions: MatchCondition[];
}

const templateKinds = workloadKinds.filter((kind) => kind !== 'Pod' && kind !== 'CronJob');

function podView(template: string): string {
  return `{'apiVersion': dyn('v1'), 'kind': dyn('Pod'), 'metadata': dyn(${template}.?metadata.orValue({})), 'spec': dyn(${template}.?spec.orValue({}))}`;
}

/** `object` (or `oldObject`) as the Pod its template describes; a Pod or another kind as it is. */
export function podViewOf(object: string): string {
  const kinds = templateKinds.map((kind) => `'${kind}'`).join(', ');
  return `${object} == null ? ${object} : request.kind.kind == 'CronJob' ? ${podView(`${object}.spec.?jobTemplate.?spec.?template`)} : request.kind.kind in [${kinds}] ? ${podView(`${object}.spec.?template`)} : ${object}`;
}

/** Whether the rule runs on the pod templates of the workload kinds too. */
export function runsOnPodViews(rule: RuleDefinition): boolean {
  return rule.builtin === 'cel' && rule.autogen && (rule.match.kinds ?? []).includes('Pod');
}

const free = (expression: string, name: string) =>
  renameIdentifiers(expression, { [name]: '\u0000' }).includes('\u0000');

export function exportCelRule(rule: Extract<RuleDefinition, { builtin: 'cel' }>): CelRuleExport | { reason: string } {
  const autogen = runsOnPodViews(rule);
  const reserved = [...(autogen ? ['podObject', 'oldPodObject'] : []), ...(rule.params ? ['params'] : [])];
  const clash = rule.variables.find((variable) => reserved.includes(variable.name));
  if (clash)
    return { reason: `its variable ${clash.name} is the name export gives ${autogen ? 'the Pod view' : 'params'}` };
  for (const condition of rule.matchConditions) {
    const unseen = ['variables', 'namespaceObject'].find((name) => free(condition.expression, name));
    if (unseen)
      return {
        reason: `matchCondition ${condition.name} names ${unseen}, which a ValidatingAdmissionPolicy's matchConditions cannot see`,
      };
  }
  const literal = rule.params === undefined ? undefined : jsonToCel(rule.params);
  const inBody: Record<string, string> = {};
  const inConditions: Record<string, string> = {};
  if (literal !== undefined) {
    inBody.params = 'variables.params';
    inConditions.params = `(${literal})`;
  }
  if (autogen) {
    Object.assign(inBody, { object: 'variables.podObject', oldObject: 'variables.oldPodObject' });
    Object.assign(inConditions, { object: `(${podViewOf('object')})`, oldObject: `(${podViewOf('oldObject')})` });
  }
  const body = (expression: string) => renameIdentifiers(expression, inBody);
  const variables: MatchCondition[] = [
    ...(autogen
      ? [
          { name: 'podObject', expression: podViewOf('object') },
          { name: 'oldPodObject', expression: podViewOf('oldObject') },
        ]
      : []),
    ...(literal === undefined ? [] : [{ name: 'params', expression: literal }]),
    ...rule.variables.map((variable) => ({ name: variable.name, expression: body(variable.expression) })),
  ];
  const written =
    rule.expression === undefined ? rule.validations : [{ expression: rule.expression, message: rule.message }];
  const validations = written.map((validation) => ({
    expression: body(validation.expression),
    ...(validation.message === undefined ? {} : { message: validation.message }),
    ...('messageExpression' in validation && validation.messageExpression !== undefined
      ? { messageExpression: body(validation.messageExpression) }
      : {}),
    ...('reason' in validation && validation.reason !== undefined ? { reason: validation.reason } : {}),
  }));
  const matchConditions = rule.matchConditions.map((condition) => ({
    name: condition.name,
    expression: renameIdentifiers(condition.expression, inConditions),
  }));
  return { cel: { variables, validations }, matchConditions };
}
