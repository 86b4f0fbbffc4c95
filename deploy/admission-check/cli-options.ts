// The flags and environment of admission-check, parsed once: node:util for the flags,
// the kernel's settings table for MIN_REPLICAS and POLICY_FILE (read as the function
// app reads them, so the CLI decides as the webhook does).
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { parseSettings, type SettingSpecs, wholeNumber } from '../../functions/core/index.js';
import { type ScopeName, scopeNames } from './webhook-filter.js';

export const cliEnvironmentSpecs = {
  MIN_REPLICAS: { schema: wholeNumber(1, 1000), form: 'a whole number from 1 to 1000', fallback: '3' },
  POLICY_FILE: { schema: z.string().min(1), form: 'a file path' },
  APPROVALS_CONNECTION_STRING: {
    schema: z.string().min(1),
    form: "an Azure Storage connection string (the function app's AzureWebJobsStorage)",
  },
} as const satisfies SettingSpecs;

interface PolicyChoice {
  readonly policyFile: string | undefined;
  readonly minReplicas: number;
  readonly scope: ScopeName;
}

export type CliRequest =
  | { readonly type: 'help' }
  | { readonly type: 'version' }
  | (PolicyChoice & {
      readonly type: 'check';
      readonly format: 'text' | 'json';
      readonly namespace: string;
      readonly paths: readonly string[];
    })
  | (PolicyChoice & {
      readonly type: 'test';
      readonly format: 'text' | 'json' | 'junit';
      readonly paths: readonly string[];
    })
  | (Omit<PolicyChoice, 'scope'> & {
      readonly type: 'audit';
      /** Unset: what the cluster's installed webhook configuration registers. */
      readonly scope: ScopeName | undefined;
      readonly format: 'text' | 'json' | 'sms';
      readonly namespaces: readonly string[];
      readonly kubeconfig: string | undefined;
      readonly context: string | undefined;
      readonly pageSize: number;
      /** APPROVALS_CONNECTION_STRING: when set, audit also lists the objects admitted by approval. */
      readonly approvalsConnection?: string | undefined;
    })
  | (Omit<PolicyChoice, 'scope'> & {
      readonly type: 'export';
      /** A directory for one file per rule, or `-` for standard output. */
      readonly out: string;
      /** The rules to export, by name; empty: every rule. */
      readonly rules: readonly string[];
    });

type Parsed = { value: CliRequest } | { error: string };

const subcommands = ['check', 'test', 'audit', 'export'] as const;
type Subcommand = (typeof subcommands)[number];

const isSubcommand = (word: string | undefined): word is Subcommand => subcommands.some((name) => name === word);

export function parseCliRequest(argv: readonly string[], env: NodeJS.ProcessEnv): Parsed {
  const command: Subcommand = isSubcommand(argv[0]) ? argv[0] : 'check';
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(isSubcommand(argv[0]) ? argv.slice(1) : argv);
  } catch (error) {
    return { error: error instanceof Error ? error.message : 'unreadable flags' };
  }
  const { values, positionals } = parsed;
  if (values.help) return { value: { type: 'help' } };
  if (values.version) return { value: { type: 'version' } };
  const scope = values.scope ?? 'webhook';
  if (!scopeNames.some((name) => name === scope)) return { error: '--scope must be webhook or all-workloads' };
  const settings = parseSettings(cliEnvironmentSpecs, env);
  if ('problems' in settings) return { error: `invalid environment: ${settings.problems.join('; ')}` };
  const choice: PolicyChoice = {
    policyFile: values.policy ?? settings.values.POLICY_FILE,
    minReplicas: settings.values.MIN_REPLICAS,
    scope: scope === 'all-workloads' ? 'all-workloads' : 'webhook',
  };
  if (command === 'export') return readExport(choice, values, positionals);
  const exportOnly = ['out', 'rule'].find((flag) => flag in values);
  if (exportOnly) return { error: `--${exportOnly} is a flag of export vap only` };
  if (command === 'audit')
    return readAudit(
      { ...choice, scope: values.scope === undefined ? undefined : choice.scope },
      values,
      positionals,
      settings.values.APPROVALS_CONNECTION_STRING,
    );
  const auditOnly = ['kubeconfig', 'context', 'page-size'].find((flag) => flag in values);
  if (auditOnly) return { error: `--${auditOnly} is a flag of audit only` };
  const format = values.format ?? 'text';
  if (positionals.length === 0) return { error: 'name at least one file, directory, or - for standard input' };
  if (command === 'test') {
    if (format !== 'text' && format !== 'json' && format !== 'junit')
      return { error: '--format must be text, json or junit' };
    return { value: { ...choice, type: 'test', format, paths: positionals } };
  }
  if (format !== 'text' && format !== 'json') return { error: '--format must be text or json' };
  const namespace = values.namespace?.[0] ?? 'default';
  return { value: { ...choice, type: 'check', format, namespace, paths: positionals } };
}

function readAudit(
  choice: Omit<PolicyChoice, 'scope'> & { readonly scope: ScopeName | undefined },
  values: ReturnType<typeof parseFlags>['values'],
  positionals: string[],
  approvalsConnection: string | undefined,
): Parsed {
  if (positionals.length > 0) return { error: 'audit takes no file arguments' };
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'sms')
    return { error: '--format must be text, json or sms' };
  const pageSize = Number(values['page-size'] ?? '500');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 10000)
    return { error: '--page-size must be a whole number from 1 to 10000' };
  return {
    value: {
      ...choice,
      type: 'audit',
      format,
      namespaces: values.namespace ?? [],
      kubeconfig: values.kubeconfig,
      context: values.context,
      pageSize,
      approvalsConnection,
    },
  };
}

function readExport(
  choice: PolicyChoice,
  values: ReturnType<typeof parseFlags>['values'],
  positionals: string[],
): Parsed {
  if (positionals.length !== 1 || positionals[0] !== 'vap') return { error: 'export takes one format: export vap' };
  const other = ['format', 'namespace', 'scope', 'kubeconfig', 'context', 'page-size'].find((flag) => flag in values);
  if (other) return { error: `--${other} is not a flag of export vap` };
  if (values.out === '') return { error: '--out must name a directory, or - for standard output' };
  const { policyFile, minReplicas } = choice;
  return { value: { type: 'export', policyFile, minReplicas, out: values.out ?? '-', rules: values.rule ?? [] } };
}

function parseFlags(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      policy: { type: 'string' },
      format: { type: 'string' },
      namespace: { type: 'string', multiple: true },
      scope: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      'page-size': { type: 'string' },
      out: { type: 'string' },
      rule: { type: 'string', multiple: true },
    },
  });
}
