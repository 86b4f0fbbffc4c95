// The audit report without a cluster: grouping by namespace and rule, and the SMS
// summary, which must fit one text whatever the names.
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../deploy/admission-check/check-manifest.js';
import { formatAuditSms, formatAuditText, smsLimit } from '../../deploy/admission-check/format-audit.js';
import type { AuditRun } from '../../deploy/admission-check/run-audit.js';

function denied(namespace: string, name: string, rule: string): CheckResult {
  const message = `deployment ${namespace}/${name} breaks ${rule}`;
  return {
    file: 'prod',
    line: 0,
    kind: 'Deployment',
    namespace,
    name,
    outcome: 'denied',
    violations: [message],
    warnings: [],
    rules: [{ rule, action: 'deny', result: 'deny', messages: [message] }],
  };
}

const run = (results: CheckResult[]): AuditRun => ({
  cluster: 'prod',
  server: 'https://prod:6443',
  policy: 'policy.yaml',
  scope: '--scope webhook',
  results,
  problems: [
    { code: 'FORBIDDEN', file: 'apps/v1 statefulsets (all namespaces)', line: 0, reason: 'forbidden (HTTP 403)' },
  ],
  requests: 3,
});

describe('the audit report', () => {
  it('groups findings by namespace and rule, with counts and the objects', () => {
    const text = formatAuditText(
      run([denied('shop', 'a', 'min'), denied('shop', 'b', 'min'), denied('web', 'c', 'tag')]),
    );
    expect(text).toContain(
      'namespace shop: 2 objects\n  min (deny): 2 objects\n    Deployment shop/a: deployment shop/a breaks min\n    Deployment shop/b',
    );
    expect(text).toContain('not read: FORBIDDEN: apps/v1 statefulsets (all namespaces): forbidden (HTTP 403)');
    expect(text).toMatch(/3 objects in 2 namespaces: 0 allowed, 3 denied.*; 1 not read \(see stderr\)$/m);
  });

  it('fits one SMS of GSM-7 characters, however long the rule names', () => {
    const results = Array.from({ length: 40 }, (_, index) =>
      denied('shop', `app-${index}`, `rule-with-a-long-name-${index}-é€`),
    );
    const sms = formatAuditSms(run(results)).trimEnd();
    expect(sms.length).toBeLessThanOrEqual(smsLimit);
    expect(sms).toMatch(/^audit prod: 40 denied, 0 warned of 40; 1 unread; rule-with-a-long-name-0-\?\?/);
    expect(sms).toMatch(/^[A-Za-z0-9 @$_!"#%&'()*+,\-./:;<=>?]*$/);
  });
});
