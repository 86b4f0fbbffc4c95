// Texts ops can trust: the rule that blocked is named, strings the cluster's users
// chose cannot become links, and no text is longer than two segments.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Notification } from '../../functions/core/notification.js';
import { formatSms } from '../../functions/core/texts/format-sms.js';
import { formatSummary } from '../../functions/core/texts/format-summary.js';
import { countSegments } from '../../functions/core/texts/gsm7.js';
import { defang } from '../../functions/core/texts/user-text.js';

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

// A phone turns these into links: a scheme, "www.", or a dotted host name.
const linkLike = /[a-z][a-z0-9+.-]*:\/\/|\bwww\.|\b[a-z0-9-]+\.[a-z]{2,}\b/i;

describe('texts worth reading', () => {
  it('names the rule that blocked, and each rule when several did', () => {
    const blocked: Notification = {
      ...subject,
      type: 'blocked',
      rules: ['minimum-replicas', 'required-labels'],
      reason: '2 replicas, minimum is 3; label team is missing',
      fix: 'Set spec.replicas >= 3 and re-apply.',
    };
    expect(formatSms(blocked)).toBe(
      '[prod-aks] BLOCKED deployment shop/web by alice@contoso.com: rules minimum-replicas, required-labels: "2 replicas, minimum is 3; label team is missing". Set spec.replicas >= 3 and re-apply.',
    );
  });

  it('quotes and defangs a crafted image name instead of texting a link', () => {
    const sms = formatSms({
      ...subject,
      type: 'created',
      replicas: 3,
      images: [{ container: 'web', image: 'https://login.contoso-support.com/reset?user=ops' }],
    });
    expect(sms).toBe(
      '[prod-aks] NEW deployment shop/web by alice@contoso.com: 3 replicas, image "login[.]contoso-support[.]com/reset?user=ops"',
    );
    expect(sms.slice(sms.indexOf('image'))).not.toMatch(linkLike);
  });

  it('quotes and defangs a message a CEL rule built from the object, and defangs a service account name', () => {
    const sms = formatSms({
      ...subject,
      user: 'system:serviceaccount:shop:evil.com',
      type: 'flagged',
      rules: ['no-links'],
      reason: 'annotation says: visit www.evil.example.com or http://evil.io/x now',
      fix: 'See the rule.',
    });
    expect(sms).toBe(
      '[prod-aks] FLAGGED deployment shop/web by system:serviceaccount:shop:evil[.]com: rule no-links: "annotation says: visit www[.]evil[.]example[.]com or evil[.]io/x now". See the rule.',
    );
  });

  it('leaves versions and plain words alone', () => {
    expect(defang('web: nginx:1.25 -> nginx:1.27; replicas 3 -> 5')).toBe(
      'web: nginx:1.25 -> nginx:1.27; replicas 3 -> 5',
    );
  });

  it('keeps every text within two GSM-7 segments, whatever the strings', () => {
    const anyText = fc.string({ unit: 'grapheme', maxLength: 2000 });
    fc.assert(
      fc.property(anyText, anyText, anyText, fc.array(anyText, { maxLength: 300 }), (name, user, reason, items) => {
        const base = { ...subject, name, user };
        const texts = [
          formatSms({ ...base, type: 'blocked', rules: [name], reason, fix: reason }),
          formatSms({
            ...base,
            type: 'created',
            replicas: 3,
            images: items.map((image) => ({ container: 'c', image })),
          }),
          formatSms({ ...base, type: 'changed', changes: items }),
        ];
        for (const text of texts)
          expect(countSegments(text)).toMatchObject({ encoding: 'GSM-7', segments: expect.any(Number) });
        for (const text of texts) expect(countSegments(text).segments).toBeLessThanOrEqual(2);
      }),
      { numRuns: 200 },
    );
  });

  it('summarises held events in one text, by kind', () => {
    const text = formatSummary({ cluster: 'prod-aks', windowMinutes: 10, counts: { blocked: 450, created: 30 } });
    expect(text).toBe(
      '[prod-aks] 480 more events in the last 10 min: 450 blocked, 30 new. Not texted (text budget); see the notify log.',
    );
    expect(countSegments(text).segments).toBe(1);
  });
});
