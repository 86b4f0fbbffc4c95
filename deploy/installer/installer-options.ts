// The command line of npm run cluster:install | cluster:rotate-ca | cluster:uninstall |
// cluster:status: each command takes its own flags (another command's flag is refused),
// read with node:util and checked with the shapes in installer-flags.ts.
import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { describeFlagIssues } from '../../functions/core/index.js';
import {
  type ClusterOptions,
  clusterSchema,
  type InstallOptions,
  installSchema,
  type RotateOptions,
  rotateSchema,
} from './installer-flags.js';

export type { ClusterOptions, InstallOptions, RotateOptions } from './installer-flags.js';
export { installerUsage } from './installer-flags.js';

export type Command =
  | { command: 'install'; options: InstallOptions }
  | { command: 'rotate-ca'; options: RotateOptions }
  | { command: 'uninstall' | 'status'; options: ClusterOptions };

type FlagSpecs = Record<string, { type: 'string' | 'boolean' }>;
const text = { type: 'string' } as const;
const flag = { type: 'boolean' } as const;
const clusterFlags: FlagSpecs = { namespace: text, context: text, kubeconfig: text };

const flagsOf = {
  install: {
    ...clusterFlags,
    'function-url': text,
    'function-key-file': text,
    'cluster-name': text,
    image: text,
    'certs-dir': text,
    'failure-mode': text,
    'wait-seconds': text,
    'webhook-url': text,
    'dry-run': flag,
    'force-conflicts': flag,
  },
  'rotate-ca': {
    ...clusterFlags,
    'certs-dir': text,
    'webhook-url': text,
    'wait-seconds': text,
    'grace-seconds': text,
    'settle-seconds': text,
  },
  uninstall: clusterFlags,
  status: clusterFlags,
} satisfies Record<Command['command'], FlagSpecs>;

function isCommandName(value: string | undefined): value is Command['command'] {
  return value !== undefined && Object.hasOwn(flagsOf, value);
}

/** The flags given, keyed in camelCase; or why they cannot be read (an unknown flag, a missing value). */
function readFlags(args: string[], specs: FlagSpecs): { values: Record<string, unknown> } | { error: string } {
  try {
    const { values } = parseArgs({ args, options: specs, strict: true, allowPositionals: false });
    const entries = Object.entries(values).map(([name, value]) => [
      name.replace(/-([a-z])/g, (_match, letter: string) => letter.toUpperCase()),
      value,
    ]);
    return { values: Object.fromEntries(entries) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : 'the flags could not be read' };
  }
}

function check<T>(schema: z.ZodType<T>, values: Record<string, unknown>): { value: T } | { error: string } {
  const parsed = schema.safeParse(values);
  return parsed.success ? { value: parsed.data } : { error: describeFlagIssues(parsed.error) };
}

export function parseInstallerArgs(argv: readonly string[]): { value: Command } | { error: string } {
  const [command, ...rest] = argv;
  if (!isCommandName(command)) return { error: 'expected install, rotate-ca, uninstall or status' };
  const flags = readFlags(rest, flagsOf[command]);
  if ('error' in flags) return flags;
  if (command === 'install') {
    const parsed = check(installSchema, flags.values);
    return 'error' in parsed ? parsed : { value: { command, options: parsed.value } };
  }
  if (command === 'rotate-ca') {
    const parsed = check(rotateSchema, flags.values);
    return 'error' in parsed ? parsed : { value: { command, options: parsed.value } };
  }
  const parsed = check(clusterSchema, flags.values);
  return 'error' in parsed ? parsed : { value: { command, options: parsed.value } };
}
