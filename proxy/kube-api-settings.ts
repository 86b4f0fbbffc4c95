// The settings of the namespace watch (namespace-watch.ts): whether it runs, and where
// the Kubernetes API is. In a pod the kubelet sets KUBERNETES_SERVICE_HOST and _PORT and
// mounts the service account's token and CA at the default paths; tests point the same
// variables at an API server of their own.
import { z } from 'zod';
import { optionalSetting, setting, wholeNumber } from './setting.js';

export type NamespaceLabelsMode = 'auto' | 'watch' | 'off';

export interface KubeApiConfig {
  readonly host: string;
  readonly port: number;
  /** Re-read for every connection: projected tokens rotate (hourly by default). */
  readonly tokenFile: string;
  readonly caFile: string;
}

export interface NamespaceLabelsConfig {
  /** auto: watch when the API's address is set and the token file exists (in a pod), else off. */
  readonly mode: NamespaceLabelsMode;
  /** Undefined without KUBERNETES_SERVICE_HOST (outside a cluster). */
  readonly api: KubeApiConfig | undefined;
}

const serviceAccount = '/var/run/secrets/kubernetes.io/serviceaccount';
// A host name or an IPv4 or IPv6 address (no brackets, as the kubelet writes it).
const hostPattern = /^[A-Za-z0-9.:-]{1,253}$/;

export const namespaceLabelsVariables = {
  NAMESPACE_LABELS: setting(
    z.enum(['auto', 'watch', 'off']),
    '"auto", "watch" or "off" (auto: watch when in a cluster)',
    'auto',
  ),
  KUBERNETES_SERVICE_HOST: optionalSetting(z.string().regex(hostPattern), 'a host name or IP address'),
  KUBERNETES_SERVICE_PORT: setting(wholeNumber(1, 65535), 'a port number from 1 to 65535', '443'),
  KUBERNETES_TOKEN_FILE: setting(z.string().min(1), 'a file path', `${serviceAccount}/token`),
  KUBERNETES_CA_FILE: setting(z.string().min(1), 'a file path (PEM CA bundle)', `${serviceAccount}/ca.crt`),
};

type Values = z.output<z.ZodObject<typeof namespaceLabelsVariables>>;

export const watchNeedsHost = 'NAMESPACE_LABELS=watch needs KUBERNETES_SERVICE_HOST (set in every pod)';

/** The watch's part of the configuration; undefined when NAMESPACE_LABELS=watch lacks the API's address. */
export function toNamespaceLabelsConfig(values: Values): NamespaceLabelsConfig | undefined {
  const host = values.KUBERNETES_SERVICE_HOST;
  if (values.NAMESPACE_LABELS === 'watch' && host === undefined) return undefined;
  const api =
    host === undefined
      ? undefined
      : {
          host,
          port: values.KUBERNETES_SERVICE_PORT,
          tokenFile: values.KUBERNETES_TOKEN_FILE,
          caFile: values.KUBERNETES_CA_FILE,
        };
  return Object.freeze({ mode: values.NAMESPACE_LABELS, api });
}

/** The API to watch, or undefined when the watch is off (auto outside a pod: no token file). */
export function chooseNamespaceWatch(
  config: NamespaceLabelsConfig,
  exists: (path: string) => boolean,
): KubeApiConfig | undefined {
  if (config.mode === 'off' || config.api === undefined) return undefined;
  if (config.mode === 'watch') return config.api;
  return exists(config.api.tokenFile) ? config.api : undefined;
}
