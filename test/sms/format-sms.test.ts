import { describe, expect, it } from 'vitest';
import type { Notification } from '../../functions/core/notification.js';
import { formatSms } from '../../functions/core/texts/format-sms.js';
import { countSegments, toGsm7 } from '../../functions/core/texts/gsm7.js';

const subject = {
  cluster: 'prod-aks',
  kind: 'Deployment',
  namespace: 'shop',
  name: 'web',
  operation: 'CREATE',
  subResource: undefined,
  user: 'alice@contoso.com',
  uid: 'u',
  at: '2026-11-22T10:00:00.000Z',
} as const;

const blocked: Notification = {
  ...subject,
  type: 'blocked',
  reason: '2 replicas, minimum is 3',
  fix: 'Set spec.replicas >= 3 and re-apply.',
};
const created: Notification = {
  ...subject,
  type: 'created',
  replicas: 3,
  images: [{ container: 'web', image: 'nginx:1.25' }],
};
const changed: Notification = {
  ...subject,
  operation: 'UPDATE',
  type: 'changed',
  changes: ['web: nginx:1.25 -> nginx:1.27', 'replicas 3 -> 5'],
};

function images(count: number) {
  return Array.from({ length: count }, (_, index) => ({
    container: `c${index}`,
    image: `registry.example.com/team/service-${index}:1.0.${index}`,
  }));
}

describe('formatSms', () => {
  it.each<[string, Notification, string, number]>([
    [
      'a block leads with cluster, verb, object and user, then why and the fix',
      blocked,
      '[prod-aks] BLOCKED deployment shop/web by alice@contoso.com: 2 replicas, minimum is 3. Set spec.replicas >= 3 and re-apply.',
      1,
    ],
    [
      'a blocked update says it was an update',
      { ...blocked, operation: 'UPDATE' },
      '[prod-aks] BLOCKED update of deployment shop/web by alice@contoso.com: 2 replicas, minimum is 3. Set spec.replicas >= 3 and re-apply.',
      1,
    ],
    [
      'a blocked kubectl scale says it was a scale',
      {
        ...blocked,
        operation: 'UPDATE',
        subResource: 'scale',
        reason: 'scale to 1 replica, minimum is 3',
        fix: 'Scale to 3 or more.',
      },
      '[prod-aks] BLOCKED scale of deployment shop/web by alice@contoso.com: scale to 1 replica, minimum is 3. Scale to 3 or more.',
      1,
    ],
    [
      'a new application names its replicas and image',
      created,
      '[prod-aks] NEW deployment shop/web by alice@contoso.com: 3 replicas, image "nginx:1.25"',
      1,
    ],
    [
      'a change lists what changed',
      changed,
      '[prod-aks] CHANGED deployment shop/web by alice@contoso.com: web: nginx:1.25 -> nginx:1.27; replicas 3 -> 5',
      1,
    ],
    [
      'a flagged workload names its kind, the reason and the fix',
      {
        ...subject,
        kind: 'StatefulSet',
        type: 'flagged',
        reason: 'at most 50 replicas',
        fix: 'See the rule in the admission policy.',
      },
      '[prod-aks] FLAGGED statefulset shop/web by alice@contoso.com: at most 50 replicas. See the rule in the admission policy.',
      1,
    ],
    [
      'no cluster name means no brackets',
      { ...created, cluster: undefined },
      'NEW deployment shop/web by alice@contoso.com: 3 replicas, image "nginx:1.25"',
      1,
    ],
    [
      'the same image in two containers is listed once',
      {
        ...created,
        images: [
          { container: 'a', image: 'x:1' },
          { container: 'b', image: 'x:1' },
        ],
      },
      '[prod-aks] NEW deployment shop/web by alice@contoso.com: 3 replicas, image "x:1"',
      1,
    ],
    [
      'a long image list is cut to fit one segment, with a count of the rest',
      { ...created, images: images(8) },
      '[prod-aks] NEW deployment shop/web by alice@contoso.com: 3 replicas, images "registry[.]example[.]com/team/service-0:1.0.0" (+7 more)',
      1,
    ],
    [
      'a long list of changes is cut the same way',
      { ...changed, changes: Array.from({ length: 12 }, (_, i) => `c${i}: app:${i} -> app:${i + 1}`) },
      '[prod-aks] CHANGED deployment shop/web by alice@contoso.com: c0: app:0 -> app:1; c1: app:1 -> app:2; c2: app:2 -> app:3; c3: app:3 -> app:4 (+8 more)',
      1,
    ],
    [
      'unicode in a user name is transliterated to stay in GSM-7',
      { ...blocked, user: 'José.García@contoso.com' },
      '[prod-aks] BLOCKED deployment shop/web by José.Garcia@contoso.com: 2 replicas, minimum is 3. Set spec.replicas >= 3 and re-apply.',
      1,
    ],
    [
      'emoji and other scripts become ?',
      { ...changed, user: 'dev🚀', changes: ['web: 应用:1 -> 应用:2'] },
      '[prod-aks] CHANGED deployment shop/web by dev?: web: ??:1 -> ??:2',
      1,
    ],
  ])('%s', (_sentence, notification, text, segments) => {
    const sms = formatSms(notification);
    expect(sms).toBe(text);
    expect(countSegments(sms)).toMatchObject({ encoding: 'GSM-7', segments });
  });

  it('spans two segments at most when a single item cannot fit one, cutting it with ...', () => {
    const huge = { container: 'c', image: `registry.example.com/${'a'.repeat(3000)}:1` };
    const sms = formatSms({ ...created, images: [huge, ...images(3)] });
    expect(sms).toMatch(/^\[prod-aks\] NEW deployment shop\/web by alice@contoso\.com: 3 replicas, images "registry/);
    expect(sms).toContain('..." (+3 more)');
    expect(countSegments(sms).segments).toBeLessThanOrEqual(2);
  });

  it('counts the items left out before queueing in the (+N more)', () => {
    expect(formatSms({ ...created, omitted: 200 })).toBe(
      '[prod-aks] NEW deployment shop/web by alice@contoso.com: 3 replicas, image "nginx:1.25" (+200 more)',
    );
  });

  it('keeps a control character in a name from breaking the text onto two lines', () => {
    expect(formatSms({ ...blocked, name: 'web\nEVIL' })).toContain('deployment shop/web?EVIL by');
  });
});

describe('countSegments', () => {
  it.each([
    ['160 GSM-7 characters fit one segment', 'a'.repeat(160), 'GSM-7', 160, 1],
    ['161 need two segments of 153', 'a'.repeat(161), 'GSM-7', 161, 2],
    ['extension characters count twice', '{}'.repeat(40), 'GSM-7', 160, 1],
    ['one extension character more tips it over', `${'{}'.repeat(40)}[`, 'GSM-7', 162, 2],
    ['one emoji makes the whole text UCS-2 at 70 a segment', `${'a'.repeat(68)}🚀`, 'UCS-2', 70, 1],
    ['UCS-2 over 70 splits at 67', 'ж'.repeat(71), 'UCS-2', 71, 2],
    ['306 septets fill two segments of 153', 'a'.repeat(306), 'GSM-7', 306, 2],
    [
      'an extension character is never split between segments, so 306 septets can need three',
      `${'a'.repeat(152)}{${'a'.repeat(152)}`,
      'GSM-7',
      306,
      3,
    ],
  ])('%s', (_sentence, text, encoding, units, segments) => {
    expect(countSegments(text)).toEqual({ encoding, units, segments });
  });
});

describe('toGsm7', () => {
  it('keeps GSM-7 letters with accents and drops accents GSM-7 lacks', () => {
    expect(toGsm7('é è ñ ü í ó ç')).toBe('é è ñ ü i o c');
  });
});
