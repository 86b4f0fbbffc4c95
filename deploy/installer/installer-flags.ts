// What each installer command accepts, as zod shapes with their defaults: the flags
// after parseArgs, keys in camelCase (so that describeFlagIssues names them --kebab).
import { z } from 'zod';
import { clusterNameForm, clusterNamePattern, dnsLabelForm, dnsLabelPattern } from '../../functions/core/index.js';

const label = z.string().regex(dnsLabelPattern, `expected ${dnsLabelForm}`);
const loopbackHost = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/;

/** https; plain http only to this machine (a function host run locally beside a proxy outside the cluster). */
const functionUrl = z
  .url({ protocol: /^https?$/ })
  .refine(
    (url) => new URL(url).protocol === 'https:' || loopbackHost.test(new URL(url).hostname),
    'expected an https URL (http only to localhost or 127.0.0.1, for a function host on this machine)',
  )
  .refine(
    (url) => !new URL(url).search,
    'the URL must not carry a query (no ?code=): the key goes in --function-key-file',
  );

/** What the API server accepts in clientConfig.url: https, no query, fragment or user. */
const webhookUrl = z.url({ protocol: /^https$/ }).refine((url) => {
  const { search, hash, username, password } = new URL(url);
  return !search && !hash && !username && !password;
}, 'expected https://host:port/path without a query, fragment or user name');

const seconds = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const clusterFlags = {
  namespace: label.default('admission-system'),
  context: z.string().min(1).optional(),
  kubeconfig: z.string().min(1).optional(),
};
const certsDir = z.string().min(1).default('.local/cluster-certs');

export const clusterSchema = z.strictObject(clusterFlags);

export const installSchema = z.strictObject({
  ...clusterFlags,
  functionUrl,
  functionKeyFile: z.string().min(1).optional(),
  clusterName: z.string().regex(clusterNamePattern, `expected ${clusterNameForm}`).optional(),
  image: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9._/:@-]*$/,
      'expected an image reference such as myregistry.azurecr.io/admission-proxy:0.1.0',
    )
    .default('admission-proxy:0.1.0'),
  certsDir,
  failureMode: z.enum(['closed', 'open']).default('closed'),
  waitSeconds: seconds(1, 1800, 120),
  webhookUrl: webhookUrl.optional(),
  dryRun: z.boolean().default(false),
  forceConflicts: z.boolean().default(false),
});

export const rotateSchema = z.strictObject({
  ...clusterFlags,
  certsDir,
  webhookUrl: webhookUrl.optional(),
  waitSeconds: seconds(1, 1800, 120),
  graceSeconds: seconds(0, 3600, 90),
  settleSeconds: seconds(0, 300, 5),
});

export type ClusterOptions = z.infer<typeof clusterSchema>;
export type InstallOptions = z.infer<typeof installSchema>;
export type RotateOptions = z.infer<typeof rotateSchema>;

export const installerUsage = `usage:
  npm run cluster:install -- --function-url https://<app>.azurewebsites.net/api/admission
      [--function-key-file <file>] [--cluster-name <name>] [--namespace admission-system]
      [--image admission-proxy:0.1.0] [--certs-dir .local/cluster-certs] [--failure-mode closed|open]
      [--webhook-url https://<host>:<port>/<path>] [--wait-seconds 120] [--force-conflicts] [--dry-run]
  npm run cluster:rotate-ca -- [--certs-dir .local/cluster-certs] [--webhook-url https://<host>:<port>/<path>]
      [--grace-seconds 90] [--settle-seconds 5] [--wait-seconds 120] [--namespace admission-system]
  npm run cluster:uninstall -- [--namespace admission-system]
  npm run cluster:status -- [--namespace admission-system]
each command also takes [--kubeconfig <file>] [--context <name>] (a dry run reads neither)

  --webhook-url   register the webhook with this URL instead of the in-cluster Service (a proxy
                  outside the cluster); readiness is then GET <webhook URL> over TLS with the CA,
                  answered 405 (POST only) by a callable proxy
  --dry-run       print the manifests (YAML, Secret data left out) on stdout; writes nothing`;
