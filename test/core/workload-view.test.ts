import { describe, expect, it } from 'vitest';
import type { ContainerView } from '../../functions/core/pod-spec-view.js';
import { readWorkload, viewOf } from './read-workload.js';

const podSpec = {
  initContainers: [{ name: 'migrate', image: 'shop/migrate:7', securityContext: { runAsNonRoot: true } }],
  containers: [
    {
      name: 'web',
      image: 'shop/web:1.4',
      securityContext: { privileged: true },
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '128Mi' } },
      ports: [{ containerPort: 8080 }],
    },
  ],
  ephemeralContainers: [{ name: 'debugger', image: 'busybox:1.36' }],
};

const none = { privileged: undefined, runAsNonRoot: undefined };
const noResources = { requests: {}, limits: {} };

/** The containers of `podSpec` as the view reads them, whichever kind holds it. */
const expectedContainers: ContainerView[] = [
  {
    type: 'init',
    name: 'migrate',
    image: 'shop/migrate:7',
    securityContext: { ...none, runAsNonRoot: true },
    resources: noResources,
  },
  {
    type: 'regular',
    name: 'web',
    image: 'shop/web:1.4',
    securityContext: { ...none, privileged: true },
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '128Mi' } },
  },
  { type: 'ephemeral', name: 'debugger', image: 'busybox:1.36', securityContext: none, resources: noResources },
];

describe('the workload view', () => {
  it('reads init, regular and ephemeral containers of a Deployment, in that order', () => {
    const view = viewOf('Deployment', { spec: { replicas: 3, template: { spec: podSpec } } });
    expect(view.podSpec?.containers).toEqual(expectedContainers);
  });

  it('finds the pod spec of a CronJob through its job template', () => {
    const view = viewOf('CronJob', { spec: { jobTemplate: { spec: { template: { spec: podSpec } } } } });
    expect(view.podSpec?.containers).toEqual(expectedContainers);
    expect(view.replicas).toBeUndefined();
  });

  it("reads a Pod's own spec, with its metadata as the template's", () => {
    const view = viewOf('Pod', { metadata: { name: 'web-7d4b9', labels: { app: 'web' } }, spec: podSpec });
    expect(view.podSpec?.containers).toEqual(expectedContainers);
    expect(view.template?.metadata).toMatchObject({ name: 'web-7d4b9', labels: { app: 'web' } });
  });

  it('reads the pod security context, host namespaces and volumes, marking hostPath ones', () => {
    const spec = {
      ...podSpec,
      securityContext: { runAsNonRoot: true },
      hostNetwork: true,
      volumes: [{ name: 'cache', emptyDir: {} }, { name: 'docker', hostPath: { path: '/var/run/docker.sock' } }, 7],
    };
    const view = viewOf('Deployment', { spec: { template: { spec } } });
    expect(view.podSpec).toMatchObject({
      securityContext: { runAsNonRoot: true },
      hostNamespaces: { hostPID: false, hostIPC: false, hostNetwork: true },
      volumes: [
        { name: 'cache', hostPath: false },
        { name: 'docker', hostPath: true },
      ],
    });
  });

  it('reads a field of the wrong type as unset, as the rules always have', () => {
    const container = { name: 'web', securityContext: { privileged: 'true' }, resources: 'plenty' };
    const spec = { hostPID: 'yes', securityContext: 'strict', volumes: { name: 'cache' }, containers: [container] };
    const view = viewOf('Deployment', { spec: { template: { spec } } });
    expect(view.podSpec).toEqual({
      containers: [{ type: 'regular', name: 'web', image: undefined, securityContext: none, resources: noResources }],
      volumes: [],
      securityContext: { runAsNonRoot: undefined },
      hostNamespaces: { hostPID: false, hostIPC: false, hostNetwork: false },
    });
  });

  it('counts a resource set to no quantity as set', () => {
    const container = { name: 'web', resources: { requests: { cpu: null, memory: '1Gi' } } };
    const view = viewOf('Deployment', { spec: { template: { spec: { containers: [container] } } } });
    expect(view.podSpec?.containers[0]?.resources.requests).toEqual({ cpu: null, memory: '1Gi' });
  });

  it('takes the owner from the controller ownerReference, not from other references', () => {
    const ownerReferences = [
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'settings', uid: '1' },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d4b9', uid: '2', controller: true },
    ];
    expect(viewOf('Pod', { metadata: { ownerReferences }, spec: podSpec }).owner).toEqual({
      kind: 'ReplicaSet',
      name: 'web-7d4b9',
    });
    expect(viewOf('Pod', { metadata: { ownerReferences: ownerReferences.slice(0, 1) } }).owner).toBeUndefined();
    expect(viewOf('Pod', { spec: podSpec }).owner).toBeUndefined();
  });

  it.each([
    ['counts a Deployment without spec.replicas as 1, defaulted', 'Deployment', {}, { count: 1, defaulted: true }],
    ['counts replicas: null as unset', 'StatefulSet', { replicas: null }, { count: 1, defaulted: true }],
    ['reads a ReplicaSet with spec.replicas as written', 'ReplicaSet', { replicas: 0 }, { count: 0, defaulted: false }],
    ['gives a DaemonSet no replicas', 'DaemonSet', { replicas: 3 }, undefined],
    ['gives a Job no replicas', 'Job', {}, undefined],
  ] as const)('%s', (_sentence, kind, spec, expected) => {
    expect(viewOf(kind, { spec }).replicas).toEqual(expected);
  });

  it('reads a Scale as a requested count with no pod spec', () => {
    const scale = { kind: 'Scale', metadata: { name: 'web' }, spec: { replicas: 5 } };
    const view = viewOf('Deployment', scale, { scale: true, oldObject: { ...scale, spec: {} } });
    expect(view).toMatchObject({ kind: 'Deployment', viaScale: true, replicas: { count: 5, defaulted: false } });
    expect(view.podSpec).toBeUndefined();
    expect(view.template).toBeUndefined();
    const { target } = readWorkload('Deployment', scale, { scale: true, oldObject: { ...scale, spec: {} } });
    // autoscaling/v1 leaves out replicas: 0, so a Scale without them asks for 0.
    expect(target.oldWorkload?.replicas).toEqual({ count: 0, defaulted: false });
  });

  it('views the old object of an UPDATE apart from the new one', () => {
    const before = { spec: { replicas: 3, template: { spec: { containers: [{ name: 'web', image: 'web:1' }] } } } };
    const after = { spec: { replicas: 5, template: { spec: { containers: [{ name: 'web', image: 'web:2' }] } } } };
    const { target } = readWorkload('Deployment', after, { oldObject: before });
    expect(target.workload.replicas?.count).toBe(5);
    expect(target.oldWorkload?.replicas?.count).toBe(3);
    expect(target.oldWorkload?.podSpec?.containers.map((container) => container.image)).toEqual(['web:1']);
    expect(readWorkload('Deployment', after).target.oldWorkload).toBeUndefined();
  });

  it('names the object as messages do, keeps only string labels, and sees a deletion in progress', () => {
    const metadata = {
      generateName: 'web-',
      labels: { app: 'web', replicas: 3 },
      deletionTimestamp: '2026-11-22T09:59:00Z',
    };
    const view = viewOf('Deployment', { metadata }, { name: '' });
    expect(view).toMatchObject({
      name: 'web-(generated)',
      namespace: 'shop',
      subject: 'deployment shop/web-(generated)',
    });
    expect([...view.labels]).toEqual([['app', 'web']]);
    expect(view.deletionStarted).toBe(true);
    expect(viewOf('Deployment', {}).deletionStarted).toBe(false);
  });
});
