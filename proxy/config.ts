// Proxy configuration from the environment, parsed once at start-up into a frozen
// object. A bad value stops start-up with a message naming the variable and the
// form it takes, never the value (FUNCTION_KEY is a secret).
import { z } from 'zod';
import { clusterNameForm, clusterNamePattern } from '../functions/core/wire.js';

export type FailureMode = 'closed' | 'open';

export interface ProxyConfig {
  readonly port: number;
  readonly host: string;
  /** Plain-HTTP port for /healthz, /readyz and /metrics (also served on the TLS port). */
  readonly healthPort: number;
  readonly webhookPath: string;
  readonly tlsCertFile: string;
  readonly tlsKeyFile: string;
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
  readonly logLevel: string;
}

export class ProxyConfigError extends Error {
  readonly code = 'INVALID_PROXY_CONFIG';
  constructor(problems: readonly string[]) {
    super(`invalid proxy configuration: ${problems.join('; ')}`);
    this.name = 'ProxyConfigError';
  }
}

const whole = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number)
    .pipe(z.number().min(min).max(max));

const variables = {
  PORT: [whole(0, 65535), 'a port number', '8443'],
  HOST: [z.string().min(1), 'an address to listen on', '0.0.0.0'],
  HEALTH_PORT: [whole(0, 65535), 'a port number', '9090'],
  WEBHOOK_PATH: [z.string().regex(/^\/[A-Za-z0-9._~/-]*$/), 'a path starting with /', '/admission'],
  TLS_CERT_FILE: [z.string().min(1), 'a file path', '/etc/admission-proxy/tls/tls.crt'],
  TLS_KEY_FILE: [z.string().min(1), 'a file path', '/etc/admission-proxy/tls/tls.key'],
  FUNCTION_URL: [z.url({ protocol: /^https?$/ }), 'the full http(s) URL of the admission function', undefined],
  FUNCTION_KEY: [z.string().min(1), 'the function key', undefined],
  FUNCTION_KEY_FILE: [z.string().min(1), 'a file path', undefined],
  FAILURE_MODE: [z.enum(['closed', 'open']), '"closed" or "open"', 'closed'],
  CLUSTER_NAME: [z.string().regex(clusterNamePattern), clusterNameForm, undefined],
  UPSTREAM_TIMEOUT_MS: [
    whole(100, 29_000),
    'milliseconds from 100 to 29000 (below the webhook timeoutSeconds)',
    '8000',
  ],
  RELOAD_INTERVAL_MS: [whole(50, 3_600_000), 'milliseconds from 50 to 3600000', '10000'],
  SHUTDOWN_DELAY_MS: [whole(0, 60_000), 'milliseconds from 0 to 60000', '5000'],
  SHUTDOWN_GRACE_MS: [whole(0, 120_000), 'milliseconds from 0 to 120000', '20000'],
  HEADERS_TIMEOUT_MS: [whole(100, 60_000), 'milliseconds from 100 to 60000', '10000'],
  REQUEST_TIMEOUT_MS: [whole(100, 120_000), 'milliseconds from 100 to 120000', '30000'],
  LOG_LEVEL: [z.enum(['fatal', 'error', 'warn', 'info', 'debug']), 'fatal, error, warn, info or debug', 'info'],
} as const satisfies Record<string, readonly [z.ZodType, string, string | undefined]>;

type Name = keyof typeof variables;

export function loadProxyConfig(env: Readonly<Record<string, string | undefined>>): ProxyConfig {
  const problems: string[] = [];
  const values = new Map<Name, unknown>();
  for (const [name, [schema, form, fallback]] of Object.entries(variables) as [
    Name,
    readonly [z.ZodType, string, string | undefined],
  ][]) {
    const raw = env[name]?.trim() || fallback;
    if (raw === undefined) continue;
    const parsed = schema.safeParse(raw);
    if (parsed.success) values.set(name, parsed.data);
    else problems.push(`${name} must be ${form}`);
  }
  if (!env.FUNCTION_URL?.trim())
    problems.push('FUNCTION_URL is required: the full http(s) URL of the admission function');
  const hasKey = values.has('FUNCTION_KEY');
  const hasKeyFile = values.has('FUNCTION_KEY_FILE');
  if (hasKey === hasKeyFile) problems.push('set exactly one of FUNCTION_KEY_FILE (preferred) and FUNCTION_KEY');
  if (problems.length > 0) throw new ProxyConfigError(problems);

  const get = <T>(name: Name) => values.get(name) as T;
  return Object.freeze({
    port: get<number>('PORT'),
    host: get<string>('HOST'),
    healthPort: get<number>('HEALTH_PORT'),
    webhookPath: get<string>('WEBHOOK_PATH'),
    tlsCertFile: get<string>('TLS_CERT_FILE'),
    tlsKeyFile: get<string>('TLS_KEY_FILE'),
    functionUrl: new URL(get<string>('FUNCTION_URL')),
    functionKey: hasKey ? { value: get<string>('FUNCTION_KEY') } : { file: get<string>('FUNCTION_KEY_FILE') },
    failureMode: get<FailureMode>('FAILURE_MODE'),
    clusterName: get<string | undefined>('CLUSTER_NAME'),
    upstreamTimeoutMs: get<number>('UPSTREAM_TIMEOUT_MS'),
    reloadIntervalMs: get<number>('RELOAD_INTERVAL_MS'),
    shutdownDelayMs: get<number>('SHUTDOWN_DELAY_MS'),
    shutdownGraceMs: get<number>('SHUTDOWN_GRACE_MS'),
    headersTimeoutMs: get<number>('HEADERS_TIMEOUT_MS'),
    requestTimeoutMs: get<number>('REQUEST_TIMEOUT_MS'),
    logLevel: get<string>('LOG_LEVEL'),
  });
}
