import { describe, expect, it } from 'vitest';
import { loadProxyConfig, ProxyConfigError } from '../../proxy/config.js';
import { toFailureReview } from '../../proxy/failure-answer.js';
import { parseApiServerTimeout, upstreamDeadlineMs } from '../../proxy/upstream-deadline.js';

describe('upstream deadline', () => {
  it.each<[string, string | null, number | undefined]>([
    ['reads seconds', '10s', 10_000],
    ['reads milliseconds', '500ms', 500],
    ['reads minutes', '1m', 60_000],
    ['ignores a missing value', null, undefined],
    ['ignores garbage', '10 seconds', undefined],
  ])('%s', (_sentence, value, expected) => {
    expect(parseApiServerTimeout(value)).toBe(expected);
  });

  it.each<[string, number, number | undefined, number]>([
    ['uses UPSTREAM_TIMEOUT_MS without an API server deadline', 8000, undefined, 8000],
    ['keeps UPSTREAM_TIMEOUT_MS when the API server allows longer', 8000, 10_000, 8000],
    ['stops a second before a shorter API server deadline', 8000, 5000, 4000],
    ['keeps half of a very short deadline', 8000, 1000, 500],
  ])('%s', (_sentence, configured, apiServer, expected) => {
    expect(upstreamDeadlineMs(configured, apiServer)).toBe(expected);
  });
});

describe('failure answers', () => {
  const identity = { apiVersion: 'admission.k8s.io/v1', uid: 'abc' } as const;

  it('denies with 503 and the reason when failing closed', () => {
    expect(toFailureReview(identity, 'closed', { kind: 'timeout', afterMs: 8000 })).toEqual({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: {
        uid: 'abc',
        allowed: false,
        status: {
          code: 503,
          reason: 'ServiceUnavailable',
          message:
            'policy backend unavailable: timed out after 8s; denied because the webhook fails closed. Retry shortly.',
        },
      },
    });
  });

  it('allows with a short warning when failing open', () => {
    const { response } = toFailureReview(identity, 'open', { kind: 'unreachable', code: 'ECONNREFUSED' });
    expect(response).toEqual({
      uid: 'abc',
      allowed: true,
      warnings: ['policy backend unavailable: could not connect (ECONNREFUSED); admitted unchecked (fails open)'],
    });
  });
});

describe('loadProxyConfig', () => {
  const base = {
    FUNCTION_URL: 'https://shop-admission.azurewebsites.net/api/admission',
    FUNCTION_KEY_FILE: '/etc/function-key/key',
  };

  it('fills in the documented defaults', () => {
    expect(loadProxyConfig(base)).toMatchObject({
      port: 8443,
      healthPort: 9090,
      webhookPath: '/admission',
      failureMode: 'closed',
      upstreamTimeoutMs: 8000,
      tlsCertFile: '/etc/admission-proxy/tls/tls.crt',
      tlsKeyFile: '/etc/admission-proxy/tls/tls.key',
      functionKey: { file: '/etc/function-key/key' },
      clusterName: undefined,
    });
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['no function URL', { FUNCTION_KEY: 'k' }, /FUNCTION_URL is required/],
    [
      'a function URL that is not http(s)',
      { ...base, FUNCTION_URL: 'ftp://x/api' },
      /FUNCTION_URL must be the full http\(s\) URL/,
    ],
    [
      'both a key and a key file',
      { ...base, FUNCTION_KEY: 'k' },
      /exactly one of FUNCTION_KEY_FILE \(preferred\) and FUNCTION_KEY/,
    ],
    [
      'an upstream timeout the API server would beat',
      { ...base, UPSTREAM_TIMEOUT_MS: '30000' },
      /UPSTREAM_TIMEOUT_MS must be milliseconds from 100 to 29000/,
    ],
    ['an unknown failure mode', { ...base, FAILURE_MODE: 'maybe' }, /FAILURE_MODE must be "closed" or "open"/],
  ])('refuses %s', (_sentence, env, message) => {
    expect(() => loadProxyConfig(env)).toThrow(ProxyConfigError);
    expect(() => loadProxyConfig(env)).toThrow(message);
  });
});
