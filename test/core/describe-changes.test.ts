import { describe, expect, it } from 'vitest';
import { describeWorkloadChanges } from '../../functions/core/describe-changes.js';
import { loadFixture } from '../helpers/fixtures.js';
import { viewOf } from './read-workload.js';

interface ContainerFixture {
  name: string;
  image: string;
  [field: string]: unknown;
}

/** The fields of the v1 Deployment fixture that these tests change. */
interface DeploymentFixture {
  metadata: { labels: Record<string, string>; annotations: Record<string, string>; managedFields?: unknown[] };
  spec: {
    replicas?: number;
    strategy?: unknown;
    template: {
      metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
      spec: {
        containers: [ContainerFixture, ...ContainerFixture[]];
        initContainers?: ContainerFixture[];
        [field: string]: unknown;
      };
    };
  };
  status?: unknown;
}

function deployment(): DeploymentFixture {
  return loadFixture<{ request: { object: DeploymentFixture } }>('v1-create-deployment-3-replicas.json').request.object;
}

function describeDeploymentChanges(before: unknown, after: unknown): string[] {
  return describeWorkloadChanges(viewOf('Deployment', before), viewOf('Deployment', after));
}

function changesAfter(change: (deployment: DeploymentFixture) => void): string[] {
  const before = deployment();
  const after = structuredClone(before);
  change(after);
  return describeDeploymentChanges(before, after);
}

const sidecar = { name: 'envoy', image: 'envoyproxy/envoy:v1.30.1' };

describe('describeWorkloadChanges, for a Deployment', () => {
  it.each<[string, (deployment: DeploymentFixture) => void, string[]]>([
    ['finds nothing in an identical object', () => {}, []],
    [
      'ignores metadata: labels, annotations, managedFields',
      (d) => {
        d.metadata.labels.team = 'payments';
        d.metadata.annotations['argocd.argoproj.io/tracking-id'] = 'shop:apps/Deployment:shop/web';
        d.metadata.managedFields = [];
      },
      [],
    ],
    [
      'ignores status',
      (d) => {
        d.status = { replicas: 3, readyReplicas: 3 };
      },
      [],
    ],
    [
      'ignores deployment strategy, which is not the application',
      (d) => {
        d.spec.strategy = { type: 'Recreate' };
      },
      [],
    ],
    [
      'names an image change',
      (d) => {
        d.spec.template.spec.containers[0].image = 'nginx:1.27';
      },
      ['web: nginx:1.25 -> nginx:1.27'],
    ],
    [
      'names a replica change',
      (d) => {
        d.spec.replicas = 5;
      },
      ['replicas 3 -> 5'],
    ],
    [
      'counts a removed spec.replicas as the default of 1',
      (d) => {
        delete d.spec.replicas;
      },
      ['replicas 3 -> 1'],
    ],
    [
      'names an added container with its image',
      (d) => {
        d.spec.template.spec.containers.push(sidecar);
      },
      ['added container envoy (envoyproxy/envoy:v1.30.1)'],
    ],
    [
      'names a removed container',
      (d) => {
        d.spec.template.spec.containers = [sidecar];
      },
      ['added container envoy (envoyproxy/envoy:v1.30.1)', 'removed container web'],
    ],
    [
      'names init container changes apart from containers',
      (d) => {
        d.spec.template.spec.initContainers = [{ name: 'migrate', image: 'shop/migrate:7' }];
      },
      ['added init container migrate (shop/migrate:7)'],
    ],
    [
      'names the container fields that changed when the image did not',
      (d) => {
        const [web] = d.spec.template.spec.containers;
        web.env = [{ name: 'LOG_LEVEL', value: 'debug' }];
        web.resources = { requests: { cpu: '200m' } };
      },
      ['web: env, resources changed'],
    ],
    [
      'caps the list of fields at three with a count',
      (d) => {
        Object.assign(d.spec.template.spec.containers[0], {
          args: ['-v'],
          command: ['nginx'],
          env: [],
          workingDir: '/srv',
        });
      },
      ['web: args, command, env and 1 more changed'],
    ],
    [
      'names pod spec fields outside the containers',
      (d) => {
        d.spec.template.spec.nodeSelector = { pool: 'spot' };
        d.spec.template.spec.volumes = [{ name: 'cache', emptyDir: {} }];
      },
      ['pod spec nodeSelector, volumes changed'],
    ],
    [
      'calls a bumped restartedAt annotation a rollout restart',
      (d) => {
        d.spec.template.metadata.annotations = { 'kubectl.kubernetes.io/restartedAt': '2026-11-22T10:00:00Z' };
      },
      ['rollout restart'],
    ],
    [
      'names other pod metadata changes',
      (d) => {
        d.spec.template.metadata.labels.version = 'v2';
      },
      ['pod labels changed'],
    ],
  ])('%s', (_sentence, change, expected) => {
    expect(changesAfter(change)).toEqual(expected);
  });

  it('reports a reordering of containers as a pod template change', () => {
    const before = deployment();
    before.spec.template.spec.containers.push(sidecar);
    const after = structuredClone(before);
    after.spec.template.spec.containers.reverse();
    expect(describeDeploymentChanges(before, after)).toEqual(['pod template changed']);
  });

  it('copes with objects that have no template at all', () => {
    expect(describeDeploymentChanges({ spec: { replicas: 3 } }, { spec: { replicas: 4, template: {} } })).toEqual([
      'replicas 3 -> 4',
    ]);
  });
});
