#!/usr/bin/env node
// admission-check: the webhook's decision, before kubectl apply. Reads manifests,
// wraps each as the CREATE AdmissionReview the API server would send, and runs the
// same decision core. Exit 0: nothing denied; 1: something denied; 2: usage or parse
// error (file and line named). The policy is found as the function app finds it
// (--policy, else POLICY_FILE, else policy.yaml at the app root, else MIN_REPLICAS).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadSettings } from '../config/settings.js';
import { loadPolicy } from '../policy/load-policy.js';
import { checkManifest } from './check-manifest.js';
import { formatJson, formatText, summarize } from './format-report.js';
import { ManifestError, readManifests } from './read-manifests.js';

const usage = 'usage: admission-check [--policy FILE] [--format text|json] [--namespace NS] FILE|DIR|- ...';

async function main(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: { policy: { type: 'string' }, format: { type: 'string' }, namespace: { type: 'string' } } });
  } catch (error) {
    return fail(`${(error as Error).message}\n${usage}`);
  }
  const { values, positionals } = parsed;
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') return fail(`--format must be text or json\n${usage}`);
  if (positionals.length === 0) return fail(`name at least one file, directory, or - for standard input\n${usage}`);
  try {
    const env = values.policy ? { ...process.env, POLICY_FILE: values.policy } : process.env;
    const { policy } = await loadPolicy(env, loadSettings(process.env).minReplicas);
    const manifests = readManifests(positionals, () => readFileSync(0, 'utf8'));
    const results = manifests.map((manifest, index) => checkManifest(manifest, index, policy, values.namespace ?? 'default'));
    process.stdout.write(format === 'json' ? formatJson(results) : formatText(results));
    return summarize(results).denied > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof ManifestError || (error instanceof Error && ['SettingsError', 'PolicyError'].includes(error.name))) return fail(error.message);
    throw error;
  }
}

function fail(message: string): number {
  process.stderr.write(`admission-check: ${message}\n`);
  return 2;
}

process.exitCode = await main(process.argv.slice(2));
