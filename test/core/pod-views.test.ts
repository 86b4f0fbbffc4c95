// podViewsFor: the Pod a rule for Pods sees in each workload kind.
import { describe, expect, it } from 'vitest';
import { podViewsFor } from '../../functions/core/rules/pod-views.js';

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web' }] } };
const asPod = { apiVersion: 'v1', kind: 'Pod', ...template };

describe('podViewsFor', () => {
  it.each(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'])(
    'reads spec.template of a %s as a Pod',
    (kind) => {
      expect(podViewsFor({ spec: { template } }, kind)).toEqual([asPod]);
    },
  );

  it('reads spec.jobTemplate.spec.template of a CronJob as a Pod', () => {
    expect(podViewsFor({ spec: { jobTemplate: { spec: { template } } } }, 'CronJob')).toEqual([asPod]);
  });

  it('gives a Pod as it is', () => {
    const pod = { metadata: { name: 'p' }, spec: {} };
    expect(podViewsFor(pod, 'Pod')).toEqual([pod]);
  });

  it('gives nothing for other kinds, or a workload without a template', () => {
    expect(podViewsFor({ data: {} }, 'ConfigMap')).toEqual([]);
    expect(podViewsFor({ spec: {} }, 'Deployment')).toEqual([]);
    expect(podViewsFor(null, 'Deployment')).toEqual([]);
  });
});
