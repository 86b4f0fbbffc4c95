// Fields an older API server refuses in a server-side apply, read from its refusal and
// left out, with the refusal text kube-apiserver v1.20 gives for the base's Deployment.
import { describe, expect, it } from 'vitest';
import { readUndeclaredFields, withoutFields } from '../../deploy/installer/undeclared-fields.js';

const refusal = [
  'failed to create typed patch object: errors:',
  '  .spec.template.spec.topologySpreadConstraints[topologyKey="kubernetes.io/hostname",whenUnsatisfiable="DoNotSchedule"].nodeTaintsPolicy: field not declared in schema',
  '  .spec.template.spec.topologySpreadConstraints[topologyKey="topology.kubernetes.io/zone",whenUnsatisfiable="ScheduleAnyway"].matchLabelKeys: field not declared in schema',
].join('\n');

const constraint = (topologyKey: string, whenUnsatisfiable: string) => ({
  maxSkew: 1,
  topologyKey,
  whenUnsatisfiable,
  nodeTaintsPolicy: 'Honor',
  matchLabelKeys: ['pod-template-hash'],
});
const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'admission-proxy' },
  spec: {
    template: {
      spec: {
        topologySpreadConstraints: [
          constraint('kubernetes.io/hostname', 'DoNotSchedule'),
          constraint('topology.kubernetes.io/zone', 'ScheduleAnyway'),
        ],
      },
    },
  },
};

describe('fields an older API server does not have', () => {
  it('reads every path a refusal names, one error or several', () => {
    expect(readUndeclaredFields(refusal)).toHaveLength(2);
    expect(
      readUndeclaredFields(
        'failed to create typed patch object: .spec.unhealthyPodEvictionPolicy: field not declared in schema',
      ),
    ).toEqual(['.spec.unhealthyPodEvictionPolicy']);
    expect(readUndeclaredFields('deployments.apps "x" is forbidden')).toEqual([]);
  });

  it('leaves out exactly the named fields, finding list items by their keys', () => {
    const trimmed = withoutFields(deployment, readUndeclaredFields(refusal));
    expect(trimmed?.spec).toEqual({
      template: {
        spec: {
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'DoNotSchedule',
              matchLabelKeys: ['pod-template-hash'],
            },
            {
              maxSkew: 1,
              topologyKey: 'topology.kubernetes.io/zone',
              whenUnsatisfiable: 'ScheduleAnyway',
              nodeTaintsPolicy: 'Honor',
            },
          ],
        },
      },
    });
    expect(deployment.spec.template.spec.topologySpreadConstraints[0]).toHaveProperty('nodeTaintsPolicy');
  });

  it('drops nothing when a path does not lead to a field, so the refusal is reported as it is', () => {
    expect(
      withoutFields(deployment, [
        '.spec.template.spec.topologySpreadConstraints[topologyKey="elsewhere"].matchLabelKeys',
      ]),
    ).toBeUndefined();
    expect(withoutFields(deployment, ['.spec.selector'])).toBeUndefined();
    expect(withoutFields(deployment, ['.spec.template.spec.volumes[=x].name'])).toBeUndefined();
  });
});
