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
    ['a different name', { name: 'api' }],
  ])('tells apart %s', (_what, difference) => {
    const other = { ...changed, ...difference } as Notification;
    expect(duplicateKey(other, '+15551230001')).not.toBe(duplicateKey(changed, '+15551230001'));
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
    expect(filter.claim('k')).toBe(true);
    filter.confirm('k');
    expect(filter.claim('k')).toBe(false);
    time.advance(59_999);
    expect(filter.claim('k')).toBe(false);
    time.advance(1);
    expect(filter.claim('k')).toBe(true);
  });

  it('holds a key while its send is in flight, so concurrent copies do not both send', () => {
    const filter = createDuplicateFilter(60_000, clock().now);
    expect(filter.claim('k')).toBe(true);
    expect(filter.claim('k')).toBe(false);
  });

  it('lets a retry through after a failed send', () => {
    const filter = createDuplicateFilter(60_000, clock().now);
    filter.claim('k');
    filter.release('k');
    expect(filter.claim('k')).toBe(true);
  });

  it('forgets old keys instead of growing without bound', () => {
    const time = clock();
    const filter = createDuplicateFilter(1_000, time.now);
    for (let index = 0; index < 20_000; index++) {
      filter.claim(`k${index}`);
      filter.confirm(`k${index}`);
    }
    // The oldest keys were evicted past the cap of 10,000, even inside the window.
    expect(filter.claim('k0')).toBe(true);
    expect(filter.claim('k19999')).toBe(false);
  });

  it('sends everything when the window is 0', () => {
    const filter = createDuplicateFilter(0, clock().now);
    filter.claim('k');
    filter.confirm('k');
    expect(filter.claim('k')).toBe(true);
  });
});
