// Proxy configuration from the environment, parsed once at start-up into a frozen
// object. Every variable is in one table (schema, form in words, default) and is read
// once; a bad one stops start-up with a message naming each variable at fault and the
// form it takes, never the value (FUNCTION_KEY is a secret).
import { z } from 'zod';
import { clusterNameForm, clusterNamePattern, maxReviewBytes } from '../functions/core/wire.js';
import {
  type NamespaceLabelsConfig,
  namespaceLabelsVariables,
  toNamespaceLabelsConfig,
  watchNeedsHost,
} from './kube-api-settings.js';
import { describeProblems, describeSettings, optionalSetting, setting, wholeNumber } from './setting.js';

export type FailureMode = 'closed' | 'open';

export interface ProxyConfig {
  readonly port: number;
  readonly host: string;
  /** Plain-HTTP port for /healthz, /readyz and /metrics (served there only). */
  readonly healthPort: number;
  readonly webhookPath: string;
  readonly tlsCertFile: string;
  readonly tlsKeyFile: string;
  /** When set, callers must present a client certificate from this CA bundle (mutual TLS). */
  readonly clientCaFile: string | undefined;
  readonly functionUrl: URL;
  readonly functionKey: { readonly value: string } | { readonly file: string };
  readonly failureMode: FailureMode;
  readonly clusterName: string | undefined;
  readonly upstreamTimeoutMs: number;
  readonly reloadIntervalMs: number;
  /** After SIGTERM: keep serving (not ready) this long, so endpoints can drop the pod. */
  readonly shutdownDelayMs: number;
  /** After that: how long in-flight requests may take before the process exits anyway. */
  readonly shutdownGraceMs: number;
  /** A client must send its headers within this (slowloris). */
  readonly headersTimeoutMs: number;
  /** ... and its whole request within this. */
  readonly requestTimeoutMs: number;
  /** A client must finish its TLS handshake within this (connections that never send a ClientHello). */
  readonly handshakeTimeoutMs: number;
  /** Connections to the TLS port held at once; more are closed as they arrive. */
  readonly maxConnections: number;
  /** Request-body bytes held at once; a request that does not fit gets 503 OVERLOADED. */
  readonly maxBufferedBytes: number;
  /** Consecutive unreachable calls after which /readyz says not ready (closed mode); 0: never. */
  readonly unreachableAfter: number;
  /** While unreachable, how often the function's URL is probed. */
  readonly probeIntervalMs: number;
  /** How often the proxy tells the function it is alive (heartbeat.ts); 0: never. */
  readonly heartbeatIntervalMs: number;
  /** The namespace watch that supplies x-namespace-labels (kube-api-settings.ts). */
  readonly namespaceLabels: NamespaceLabelsConfig;
  readonly logLevel: string;
}

export class ProxyConfigError extends Error {
  readonly code = 'PROXY_SETTINGS_INVALID';
  constructor(problems: readonly string[], options?: ErrorOptions) {
    super(`invalid proxy configuration: ${problems.join('; ')}`, options);
    this.name = 'ProxyConfigError';
  }
}

const filePath = z.string().min(1);

const proxyVariables = {
  PORT: setting(wholeNumber(0, 65535), 'a port number', '8443'),
  HOST: setting(z.string().min(1), 'an address to listen on', '0.0.0.0'),
  HEALTH_PORT: setting(wholeNumber(0, 65535), 'a port number', '9090'),
  WEBHOOK_PATH: setting(z.string().regex(/^\/[A-Za-z0-9._~/-]*$/), 'a path starting with /', '/admission'),
  TLS_CERT_FILE: setting(filePath, 'a file path', '/etc/admission-proxy/tls/tls.crt'),
  TLS_KEY_FILE: setting(filePath, 'a file path', '/etc/admission-proxy/tls/tls.key'),
  CLIENT_CA_FILE: optionalSetting(filePath, 'a file path (PEM CA bundle)'),
  FUNCTION_URL: setting(
    z.url({ protocol: /^https?$/ }).transform((url) => new URL(url)),
    'the full http(s) URL of the admission function',
  ),
  FUNCTION_KEY: optionalSetting(z.string().min(1), 'the function key'),
  FUNCTION_KEY_FILE: optionalSetting(filePath, 'a file path'),
  FAILURE_MODE: setting(z.enum(['closed', 'open']), '"closed" or "open"', 'closed'),
  CLUSTER_NAME: optionalSetting(z.string().regex(clusterNamePattern), clusterNameForm),
  UPSTREAM_TIMEOUT_MS: setting(
    wholeNumber(100, 29_000),
    'milliseconds from 100 to 29000 (below the webhook timeoutSeconds)',
    '8000',
  ),
  RELOAD_INTERVAL_MS: setting(wholeNumber(50, 3_600_000), 'milliseconds from 50 to 3600000', '10000'),
  SHUTDOWN_DELAY_MS: setting(wholeNumber(0, 60_000), 'milliseconds from 0 to 60000', '5000'),
  SHUTDOWN_GRACE_MS: setting(wholeNumber(0, 120_000), 'milliseconds from 0 to 120000', '20000'),
  HEADERS_TIMEOUT_MS: setting(wholeNumber(100, 60_000), 'milliseconds from 100 to 60000', '10000'),
  REQUEST_TIMEOUT_MS: setting(wholeNumber(100, 120_000), 'milliseconds from 100 to 120000', '30000'),
  HANDSHAKE_TIMEOUT_MS: setting(wholeNumber(100, 60_000), 'milliseconds from 100 to 60000', '5000'),
  MAX_CONNECTIONS: setting(wholeNumber(1, 100_000), 'a whole number from 1 to 100000', '1024'),
  MAX_BUFFERED_BYTES: setting(
    wholeNumber(maxReviewBytes, 1_073_741_824),
    `bytes from ${maxReviewBytes} (one largest review) to 1073741824`,
    String(32 * 1024 * 1024),
  ),
  UNREACHABLE_AFTER: setting(wholeNumber(0, 1000), 'a whole number from 0 (never) to 1000', '5'),
  PROBE_INTERVAL_MS: setting(wholeNumber(100, 60_000), 'milliseconds from 100 to 60000', '5000'),
  HEARTBEAT_INTERVAL_MS: setting(
    wholeNumber(0, 3_600_000).refine((ms) => ms === 0 || ms >= 100),
    'milliseconds: 0 (off) or from 100 to 3600000',
    '60000',
  ),
  ...namespaceLabelsVariables,
  LOG_LEVEL: setting(z.enum(['fatal', 'error', 'warn', 'info', 'debug']), 'fatal, error, warn, info or debug', 'info'),
};

/** Every variable the proxy reads: name, accepted form and default (the README's table). */
export const proxySettingsTable = describeSettings(proxyVariables);

const variablesSchema = z.object(proxyVariables);
type Variables = z.output<typeof variablesSchema>;

const exactlyOneKey = 'set exactly one of FUNCTION_KEY_FILE (preferred) and FUNCTION_KEY';

function chooseFunctionKey({ FUNCTION_KEY: value, FUNCTION_KEY_FILE: file }: Variables) {
  if (file !== undefined) return value === undefined ? { file } : undefined;
  return value === undefined ? undefined : { value };
}

const proxyEnvironment = variablesSchema
  // Checked even when other variables are bad, so that one message names every problem.
  .superRefine(
    (values, ctx) => {
      if (chooseFunctionKey(values) === undefined) ctx.addIssue(exactlyOneKey);
      if (toNamespaceLabelsConfig(values) === undefined) ctx.addIssue(watchNeedsHost);
    },
    { when: () => true },
  )
  .transform((values, ctx): ProxyConfig => {
    const functionKey = chooseFunctionKey(values);
    const namespaceLabels = toNamespaceLabelsConfig(values);
    if (functionKey !== undefined && namespaceLabels !== undefined)
      return toProxyConfig(values, functionKey, namespaceLabels);
    ctx.addIssue(exactlyOneKey); // not reached (the check above failed the parse); it narrows the type
    return z.NEVER;
  });

function toProxyConfig(
  values: Variables,
  functionKey: ProxyConfig['functionKey'],
  namespaceLabels: NamespaceLabelsConfig,
): ProxyConfig {
  return Object.freeze({
    port: values.PORT,
    host: values.HOST,
    healthPort: values.HEALTH_PORT,
    webhookPath: values.WEBHOOK_PATH,
    tlsCertFile: values.TLS_CERT_FILE,
    tlsKeyFile: values.TLS_KEY_FILE,
    clientCaFile: values.CLIENT_CA_FILE,
    functionUrl: values.FUNCTION_URL,
    functionKey,
    failureMode: values.FAILURE_MODE,
    clusterName: values.CLUSTER_NAME,
    upstreamTimeoutMs: values.UPSTREAM_TIMEOUT_MS,
    reloadIntervalMs: values.RELOAD_INTERVAL_MS,
    shutdownDelayMs: values.SHUTDOWN_DELAY_MS,
    shutdownGraceMs: values.SHUTDOWN_GRACE_MS,
    headersTimeoutMs: values.HEADERS_TIMEOUT_MS,
    requestTimeoutMs: values.REQUEST_TIMEOUT_MS,
    handshakeTimeoutMs: values.HANDSHAKE_TIMEOUT_MS,
    maxConnections: values.MAX_CONNECTIONS,
    maxBufferedBytes: values.MAX_BUFFERED_BYTES,
    unreachableAfter: values.UNREACHABLE_AFTER,
    probeIntervalMs: values.PROBE_INTERVAL_MS,
    heartbeatIntervalMs: values.HEARTBEAT_INTERVAL_MS,
    namespaceLabels,
    logLevel: values.LOG_LEVEL,
  });
}

/** Throws ProxyConfigError naming every bad variable and its form. */
export function loadProxyConfig(env: Readonly<Record<string, string | undefined>>): ProxyConfig {
  const parsed = proxyEnvironment.safeParse(env);
  if (!parsed.success) throw new ProxyConfigError(describeProblems(parsed.error), { cause: parsed.error });
  return parsed.data;
}
