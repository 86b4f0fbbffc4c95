// Every error a user can see, with a stable code, a one-line cause and the fix. The
// README's "Error codes" table is this list (a test keeps the two equal), and a test
// checks that every code the sources use is listed here. Codes never change meaning;
// new failures get new codes.

export interface CatalogueEntry {
  /** Who reports it: the webhook path (function or proxy), a start-up, a tool. */
  readonly where: string;
  readonly cause: string;
  readonly fix: string;
}

const webhook = {
  METHOD_NOT_ALLOWED: {
    where: 'function, proxy (HTTP 405)',
    cause: 'the webhook was called with a method other than POST',
    fix: 'call it with POST, as the API server does',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    where: 'function, proxy (HTTP 415)',
    cause: 'the content type is not application/json',
    fix: 'send the AdmissionReview as application/json',
  },
  EMPTY_BODY: {
    where: 'function (HTTP 400)',
    cause: 'the request had no body',
    fix: 'send an AdmissionReview',
  },
  BODY_TOO_LARGE: {
    where: 'function (HTTP 400)',
    cause: 'the body is over 7 MiB (two 3 MiB objects and an envelope)',
    fix: 'nothing the API server sends is this large: look for a client that is not the API server',
  },
  PAYLOAD_TOO_LARGE: {
    where: 'proxy (HTTP 413)',
    cause: 'the body is over 7 MiB, refused before it reaches the function',
    fix: 'as BODY_TOO_LARGE',
  },
  BODY_UNREADABLE: {
    where: 'function (HTTP 400)',
    cause: 'the client went away while sending the body',
    fix: 'retry; the API server does on its own',
  },
  INVALID_JSON: {
    where: 'function (HTTP 400)',
    cause: 'the body is not JSON',
    fix: 'send an AdmissionReview as JSON',
  },
  INVALID_REVIEW: {
    where: 'function (HTTP 400)',
    cause: 'the body is not an AdmissionReview v1 or v1beta1, or its object is malformed (the path is named)',
    fix: 'fix the field the message names',
  },
  INVALID_CLUSTER_NAME: {
    where: 'function (HTTP 400)',
    cause: "the proxy's x-cluster-name header is not a safe cluster name",
    fix: "set the proxy's CLUSTER_NAME to 1-63 letters, digits, '.', '_' or '-'",
  },
  INTERNAL: {
    where: 'function (HTTP 500)',
    cause: 'a bug while deciding; the log line admission.failed names where',
    fix: "the webhook's failurePolicy (or the proxy's FAILURE_MODE) decides; report the log line",
  },
  NOT_FOUND: {
    where: 'proxy (HTTP 404)',
    cause: 'a path other than WEBHOOK_PATH, /healthz, /readyz or /metrics',
    fix: "point the webhook's clientConfig.service.path at WEBHOOK_PATH",
  },
  BAD_GATEWAY: {
    where: 'proxy (HTTP 502)',
    cause: 'the function failed and the request carried no AdmissionReview uid to answer for',
    fix: 'only a client that is not the API server sees this; see the proxy log for the reason',
  },
} as const satisfies Record<string, CatalogueEntry>;

const startUp = {
  SETTINGS_INVALID: {
    where: 'function app start-up',
    cause: 'an app setting is missing or malformed (each is named with its form)',
    fix: 'correct the named settings; see Configuration',
  },
  PROXY_SETTINGS_INVALID: {
    where: 'proxy start-up (exit 2)',
    cause: 'a proxy environment variable is missing or malformed (each is named with its form)',
    fix: 'correct the named variables in the proxy ConfigMap or Deployment',
  },
  POLICY_INVALID: {
    where: 'function app start-up, admission-check (exit 2)',
    cause: 'the policy file does not read, parse, validate or compile (file, line, rule or path named)',
    fix: 'fix the policy file; admission-check --policy FILE shows the same error before a deploy',
  },
} as const satisfies Record<string, CatalogueEntry>;

const texts = {
  INVALID_MESSAGE: {
    where: 'notify (log, then poison queue)',
    cause: 'a queue message is not a notification this release reads',
    fix: 'inspect it on the poison queue; it was written by another release or by hand',
  },
  SMS_DELIVERY_FAILED: {
    where: 'notify (retried)',
    cause: 'Twilio could not be reached or refused for a reason a retry may fix',
    fix: 'nothing at first: the queue retries; after maxDequeueCount the message is on the poison queue',
  },
} as const satisfies Record<string, CatalogueEntry>;

const tools = {
  USAGE: {
    where: 'admission-check, certs, installer (exit 2)',
    cause: 'a flag is unknown, missing or malformed (named with its form)',
    fix: 'see --help or the usage printed with the error',
  },
  MANIFEST_INVALID: {
    where: 'admission-check (exit 2)',
    cause: 'a manifest is not YAML or JSON, or not a Kubernetes object (file and line named)',
    fix: 'fix the manifest at that line',
  },
  NO_KUBECONFIG: {
    where: 'installer',
    cause: 'no kubeconfig, or one without a current context',
    fix: 'az aks get-credentials, or kubectl config use-context',
  },
  UNREACHABLE: {
    where: 'installer',
    cause: 'the API server in the kubeconfig could not be reached',
    fix: 'check the context and the network',
  },
  FORBIDDEN: {
    where: 'installer',
    cause: 'your identity may not change that object',
    fix: 'ask for the named permission',
  },
  CONFLICT: {
    where: 'installer',
    cause: 'fields are owned by another field manager (server-side apply)',
    fix: 'rerun with --force-conflicts to take them over',
  },
  API_ERROR: {
    where: 'installer',
    cause: 'the API server refused a request (HTTP status named)',
    fix: 'see the status',
  },
  NOT_READY: {
    where: 'installer',
    cause: 'the proxy did not become ready in time; the webhook was not registered',
    fix: 'kubectl -n <namespace> get pods,events',
  },
  MISSING_INPUT: {
    where: 'installer',
    cause: 'no function key in the cluster and none given',
    fix: 'pass --function-key-file',
  },
} as const satisfies Record<string, CatalogueEntry>;

export const errorCatalogue = { ...webhook, ...startUp, ...texts, ...tools } as const;

export type ErrorCode = keyof typeof errorCatalogue;
