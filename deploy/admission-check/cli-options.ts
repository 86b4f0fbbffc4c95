// The flags and environment of admission-check, parsed once: node:util for the flags,
// the kernel's settings table for MIN_REPLICAS and POLICY_FILE (read as the function
// app reads them, so the CLI decides as the webhook does).
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { parseSettings, type SettingSpecs, wholeNumber } from '../../functions/core/index.js';

export const usage = `usage: admission-check [--policy FILE] [--format text|json] [--namespace NS] FILE|DIR|- ...
       admission-check --help | --version

Checks Kubernetes manifests as the webhook would (CREATE). Exit 0: nothing denied;
1: something denied; 2: usage, manifest or policy error.
  --policy FILE    the policy file (default: POLICY_FILE, else ./policy.yaml if present,
                   else the built-in policy with MIN_REPLICAS)
  --format F       text (default) or json
  --namespace NS   the namespace of objects that name none (default: default)`;

export const cliEnvironmentSpecs = {
  MIN_REPLICAS: { schema: wholeNumber(1, 1000), form: 'a whole number from 1 to 1000', fallback: '3' },
  POLICY_FILE: { schema: z.string().min(1), form: 'a file path' },
} as const satisfies SettingSpecs;

export type CliRequest =
  | { readonly type: 'help' }
  | { readonly type: 'version' }
  | {
      readonly type: 'check';
      readonly policyFile: string | undefined;
      readonly minReplicas: number;
      readonly format: 'text' | 'json';
      readonly namespace: string;
      readonly paths: readonly string[];
    };

export function parseCliRequest(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): { value: CliRequest } | { error: string } {
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(argv);
  } catch (error) {
    return { error: error instanceof Error ? error.message : 'unreadable flags' };
  }
  const { values, positionals } = parsed;
  if (values.help) return { value: { type: 'help' } };
  if (values.version) return { value: { type: 'version' } };
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') return { error: '--format must be text or json' };
  if (positionals.length === 0) return { error: 'name at least one file, directory, or - for standard input' };
  const settings = parseSettings(cliEnvironmentSpecs, env);
  if ('problems' in settings) return { error: `invalid environment: ${settings.problems.join('; ')}` };
  return {
    value: {
      type: 'check',
      policyFile: values.policy ?? settings.values.POLICY_FILE,
      minReplicas: settings.values.MIN_REPLICAS,
      format,
      namespace: values.namespace ?? 'default',
      paths: positionals,
    },
  };
}

function parseFlags(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      policy: { type: 'string' },
      format: { type: 'string' },
      namespace: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean' },
    },
  });
}
