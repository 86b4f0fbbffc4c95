import { describe, expect, it } from 'vitest';
import { loadProxyConfig, ProxyConfigError, proxySettingsTable } from '../../proxy/config.js';
import { chooseNamespaceWatch } from '../../proxy/kube-api-settings.js';

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
      'NAMESPACE_LABELS',
      'KUBERNETES_SERVICE_HOST',
      'KUBERNETES_SERVICE_PORT',
      'KUBERNETES_TOKEN_FILE',
      'KUBERNETES_CA_FILE',
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

describe('the namespace watch settings', () => {
  const api = { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' };
  const exists = (paths: string[]) => (path: string) => paths.includes(path);
  const token = '/var/run/secrets/kubernetes.io/serviceaccount/token';

  it('watches by default in a pod (the API address set and the token mounted), not outside one', () => {
    const inPod = loadProxyConfig({ ...base, ...api }).namespaceLabels;
    expect(chooseNamespaceWatch(inPod, exists([token]))).toEqual({
      host: '10.0.0.1',
      port: 443,
      tokenFile: token,
      caFile: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
    });
    expect(chooseNamespaceWatch(inPod, exists([]))).toBeUndefined(); // no token mounted
    expect(chooseNamespaceWatch(loadProxyConfig(base).namespaceLabels, exists([token]))).toBeUndefined();
  });

  it('never watches when off, and always when watch, even before the token file appears', () => {
    const off = loadProxyConfig({ ...base, ...api, NAMESPACE_LABELS: 'off' }).namespaceLabels;
    expect(chooseNamespaceWatch(off, exists([token]))).toBeUndefined();
    const on = loadProxyConfig({ ...base, ...api, NAMESPACE_LABELS: 'watch' }).namespaceLabels;
    expect(chooseNamespaceWatch(on, exists([]))).toHaveProperty('host', '10.0.0.1');
  });

  it('refuses watch without the API address, and a malformed mode or port, naming each', () => {
    expect(problemOf({ ...base, NAMESPACE_LABELS: 'watch' }).message).toContain(
      'NAMESPACE_LABELS=watch needs KUBERNETES_SERVICE_HOST',
    );
    const message = problemOf({ ...base, ...api, NAMESPACE_LABELS: 'yes', KUBERNETES_SERVICE_PORT: '0' }).message;
    expect(message).toContain('NAMESPACE_LABELS must be "auto", "watch" or "off"');
    expect(message).toContain('KUBERNETES_SERVICE_PORT must be a port number from 1 to 65535');
  });
});
