import { describe, expect, it } from 'vitest';
import type { Notification } from '../../functions/core/notification.js';
import { createDuplicateFilter, duplicateKey } from '../../functions/shells/sms/duplicate-filter.js';

const changed: Notification = {
  type: 'changed',
  cluster: 'prod-aks',
  kind: 'Deployment',
  namespace: 'shop',
  name: 'web',
  operation: 'UPDATE',
  subResource: undefined,
  user: 'alice',
  uid: 'u1',
  at: '2026-11-22T10:00:00.000Z',
  changes: ['replicas 3 -> 5'],
};

describe('duplicateKey', () => {
  it('ignores who sent the request, its uid and its time', () => {
    const again = { ...changed, user: 'argocd', uid: 'u2', at: '2026-11-22T10:03:00.000Z' };
    expect(duplicateKey(again, '+15551230001')).toBe(duplicateKey(changed, '+15551230001'));
  });

  it.each<[string, Partial<Notification>]>([
    ['a different change', { changes: ['replicas 5 -> 7'] }],
    ['a different cluster', { cluster: 'staging-aks' }],
    ['a different namespace', { namespace: 'cart' }],
    ['a different name without an owner', { name: 'api' }],
    ['a different owning workload', { owner: 'ReplicaSet/web-6c9f' }],
  ])('tells apart %s', (_what, difference) => {
    const other = { ...changed, ...difference } as Notification;
    expect(duplicateKey(other, '+15551230001')).not.toBe(duplicateKey(changed, '+15551230001'));
  });

  it('keys generated names on their owner: Pods of one ReplicaSet are one piece of news', () => {
    const pod = { ...changed, kind: 'Pod', owner: 'ReplicaSet/web-5d8f' };
    expect(duplicateKey({ ...pod, name: 'web-5d8f-abcde' }, '+15551230001')).toBe(
      duplicateKey({ ...pod, name: 'web-5d8f-xyz12' }, '+15551230001'),
    );
  });

  it('keys a block on the rules that fired, not on the wording of the reason', () => {
    const blocked: Notification = {
      ...changed,
      type: 'blocked',
      rules: ['minimum-replicas'],
      reason: '2 replicas',
      fix: 'f',
    };
    const again = { ...blocked, reason: '1 replica' };
    expect(duplicateKey(again, '+15551230001')).toBe(duplicateKey(blocked, '+15551230001'));
    expect(duplicateKey({ ...blocked, rules: ['image-tag'] }, '+15551230001')).not.toBe(
      duplicateKey(blocked, '+15551230001'),
    );
  });

  it('tells recipients apart without keeping the number in clear', () => {
    const key = duplicateKey(changed, '+15551230001');
    expect(key).not.toBe(duplicateKey(changed, '+15551230002'));
    expect(key).not.toContain('5551230001');
  });
});

describe('createDuplicateFilter', () => {
  function clock(start = 0) {
    let time = start;
    return { now: () => time, advance: (ms: number) => (time += ms) };
  }

  it('lets a key through once per window after a confirmed send', () => {
    const time = clock();
    const filter = createDuplicateFilter(60_000, time.now);
    expect(filter.claim('k')).toBe('claimed');
    filter.confirm('k');
    expect(filter.claim('k')).toBe('duplicate');
    time.advance(59_999);
    expect(filter.claim('k')).toBe('duplicate');
    time.advance(1);
    expect(filter.claim('k')).toBe('claimed');
  });

  it('holds a key while its send is in flight, so a concurrent copy waits for a retry', () => {
    const filter = createDuplicateFilter(60_000, clock().now);
    expect(filter.claim('k')).toBe('claimed');
    expect(filter.claim('k')).toBe('busy');
  });

  it('lets a retry through after a failed send', () => {
    const filter = createDuplicateFilter(60_000, clock().now);
    filter.claim('k');
    filter.release('k');
    expect(filter.claim('k')).toBe('claimed');
  });

  it('forgets old keys instead of growing without bound', () => {
    const time = clock();
    const filter = createDuplicateFilter(1_000, time.now);
    for (let index = 0; index < 20_000; index++) {
      filter.claim(`k${index}`);
      filter.confirm(`k${index}`);
    }
    // The oldest keys were evicted past the cap of 10,000, even inside the window.
    expect(filter.claim('k0')).toBe('claimed');
    expect(filter.claim('k19999')).toBe('duplicate');
  });

  it('sends everything when the window is 0', () => {
    const filter = createDuplicateFilter(0, clock().now);
    filter.claim('k');
    filter.confirm('k');
    expect(filter.claim('k')).toBe('claimed');
  });
});
