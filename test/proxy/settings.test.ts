import { describe, expect, it } from 'vitest';
import { loadProxyConfig, ProxyConfigError, proxySettingsTable } from '../../proxy/config.js';

const base = {
  FUNCTION_URL: 'https://shop-admission.azurewebsites.net/api/admission',
  FUNCTION_KEY_FILE: '/etc/function-key/key',
};

function problemOf(env: Record<string, string>): ProxyConfigError {
  try {
    loadProxyConfig(env);
  } catch (error) {
    if (error instanceof ProxyConfigError) return error;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('the proxy settings table', () => {
  it('lists every variable the proxy reads, with its form and default', () => {
    expect(proxySettingsTable.map((row) => row.name)).toEqual([
      'PORT',
      'HOST',
      'HEALTH_PORT',
      'WEBHOOK_PATH',
      'TLS_CERT_FILE',
      'TLS_KEY_FILE',
      'CLIENT_CA_FILE',
      'FUNCTION_URL',
      'FUNCTION_KEY',
      'FUNCTION_KEY_FILE',
      'FAILURE_MODE',
      'CLUSTER_NAME',
      'UPSTREAM_TIMEOUT_MS',
      'RELOAD_INTERVAL_MS',
      'SHUTDOWN_DELAY_MS',
      'SHUTDOWN_GRACE_MS',
      'HEADERS_TIMEOUT_MS',
      'REQUEST_TIMEOUT_MS',
      'HANDSHAKE_TIMEOUT_MS',
      'MAX_CONNECTIONS',
      'MAX_BUFFERED_BYTES',
      'UNREACHABLE_AFTER',
      'PROBE_INTERVAL_MS',
      'HEARTBEAT_INTERVAL_MS',
      'LOG_LEVEL',
    ]);
    expect(proxySettingsTable).toContainEqual({
      name: 'UPSTREAM_TIMEOUT_MS',
      form: 'milliseconds from 100 to 29000 (below the webhook timeoutSeconds)',
      fallback: '8000',
    });
    expect(proxySettingsTable).toContainEqual({
      name: 'FUNCTION_URL',
      form: 'the full http(s) URL of the admission function',
      fallback: undefined,
    });
  });

  it('has defaults that the parser accepts, as the documented values', () => {
    const config = loadProxyConfig(base);
    expect(config).toMatchObject({ port: 8443, host: '0.0.0.0', reloadIntervalMs: 10_000, logLevel: 'info' });
    expect(config.functionUrl.href).toBe(base.FUNCTION_URL);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('bounds handshakes, connections and buffered bytes by default', () => {
    expect(loadProxyConfig(base)).toMatchObject({
      handshakeTimeoutMs: 5000,
      maxConnections: 1024,
      maxBufferedBytes: 32 * 1024 * 1024,
    });
  });

  it('refuses a buffer budget smaller than one largest review', () => {
    expect(problemOf({ ...base, MAX_BUFFERED_BYTES: '1000' }).message).toContain(
      'MAX_BUFFERED_BYTES must be bytes from 7340032 (one largest review) to 1073741824',
    );
  });
});

describe('a bad proxy configuration', () => {
  it('names every bad variable in one message, with the stable code', () => {
    const error = problemOf({ ...base, PORT: 'eighty', FAILURE_MODE: 'maybe', FUNCTION_KEY: 'k' });
    expect(error.code).toBe('PROXY_SETTINGS_INVALID');
    expect(error.message).toContain('PORT must be a port number');
    expect(error.message).toContain('FAILURE_MODE must be "closed" or "open"');
    expect(error.message).toContain('set exactly one of FUNCTION_KEY_FILE (preferred) and FUNCTION_KEY');
  });

  it('never repeats a value, not even in the error it wraps', () => {
    const error = problemOf({
      FUNCTION_URL: 'ftp://user:hunter2@example.com/api',
      FUNCTION_KEY: 'fk_secret_value_0123456789',
      FUNCTION_KEY_FILE: '/etc/function-key/key',
      CLUSTER_NAME: 'not a cluster name!',
    });
    const everything = `${error.message} ${JSON.stringify(error.cause)} ${String(error.cause)}`;
    expect(everything).not.toContain('hunter2');
    expect(everything).not.toContain('fk_secret_value');
    expect(everything).not.toContain('not a cluster name!');
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('treats a blank variable as unset', () => {
    expect(loadProxyConfig({ ...base, PORT: '  ', FUNCTION_KEY: ' ' })).toMatchObject({
      port: 8443,
      functionKey: { file: base.FUNCTION_KEY_FILE },
    });
  });
});
