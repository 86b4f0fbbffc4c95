// Flags of npm run cluster:install / cluster:uninstall / cluster:status.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import {
  clusterNameForm,
  clusterNamePattern,
  describeFlagIssues,
  dnsLabelForm,
  dnsLabelPattern,
} from '../../functions/core/index.js';

const label = z.string().regex(dnsLabelPattern, `expected ${dnsLabelForm}`);

const installSchema = z.object({
  functionUrl: z
    .url({ protocol: /^https$/ })
    .refine(
      (url) => !new URL(url).search,
      'the URL must not carry a query (no ?code=): the key goes in --function-key-file',
    ),
  functionKeyFile: z.string().min(1).optional(),
  clusterName: z.string().regex(clusterNamePattern, `expected ${clusterNameForm}`).optional(),
  namespace: label,
  image: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9._/:@-]*$/,
      'expected an image reference such as myregistry.azurecr.io/admission-proxy:0.1.0',
    ),
  certsDir: z.string().min(1),
  failureMode: z.enum(['closed', 'open']),
  waitSeconds: z.number().int().min(1).max(1800),
  dryRun: z.boolean(),
  forceConflicts: z.boolean(),
});
const namespaceOnly = z.object({ namespace: label });

export type InstallOptions = z.infer<typeof installSchema>;
export type Command =
  | { command: 'install'; options: InstallOptions }
  | { command: 'uninstall' | 'status'; options: { namespace: string } };

export const installerUsage = `usage:
  npm run cluster:install -- --function-url https://<app>.azurewebsites.net/api/admission
      [--function-key-file <file>] [--cluster-name <name>] [--namespace admission-system]
      [--image admission-proxy:0.1.0] [--certs-dir .local/cluster-certs] [--failure-mode closed|open]
      [--wait-seconds 120] [--force-conflicts] [--dry-run]
  npm run cluster:uninstall -- [--namespace admission-system]
  npm run cluster:status -- [--namespace admission-system]`;

function readFlags(args: string[]) {
  try {
    const { values } = parseArgs({
      args,
      strict: true,
      options: {
        'function-url': { type: 'string' },
        'function-key-file': { type: 'string' },
        'cluster-name': { type: 'string' },
        namespace: { type: 'string' },
        image: { type: 'string' },
        'certs-dir': { type: 'string' },
        'failure-mode': { type: 'string' },
        'wait-seconds': { type: 'string' },
        'dry-run': { type: 'boolean' },
        'force-conflicts': { type: 'boolean' },
      },
    });
    return { values };
  } catch (error) {
    return { error: error instanceof Error ? error.message : 'the flags could not be read' };
  }
}

export function parseInstallerArgs(argv: readonly string[]): { value: Command } | { error: string } {
  const [command, ...rest] = argv;
  if (command !== 'install' && command !== 'uninstall' && command !== 'status')
    return { error: 'expected install, uninstall or status' };
  const flags = readFlags(rest);
  if (flags.values === undefined) return { error: flags.error };
  const { values } = flags;
  const namespace = values.namespace ?? 'admission-system';
  if (command !== 'install') {
    const parsed = namespaceOnly.safeParse({ namespace });
    return parsed.success ? { value: { command, options: parsed.data } } : { error: describeFlagIssues(parsed.error) };
  }
  const parsed = installSchema.safeParse({
    functionUrl: values['function-url'],
    functionKeyFile: values['function-key-file'],
    clusterName: values['cluster-name'],
    namespace,
    image: values.image ?? 'admission-proxy:0.1.0',
    certsDir: values['certs-dir'] ?? '.local/cluster-certs',
    failureMode: values['failure-mode'] ?? 'closed',
    waitSeconds: Number(values['wait-seconds'] ?? 120),
    dryRun: values['dry-run'] ?? false,
    forceConflicts: values['force-conflicts'] ?? false,
  });
  return parsed.success ? { value: { command, options: parsed.data } } : { error: describeFlagIssues(parsed.error) };
}
