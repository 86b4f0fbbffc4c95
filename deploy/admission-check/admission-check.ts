#!/usr/bin/env node
// admission-check: the webhook's decision, before kubectl apply. Reads manifests,
// wraps each as the CREATE AdmissionReview the API server would send, and runs the
// same decision core. Exit 0: nothing denied; 1: something denied; 2: usage, manifest
// or policy error (file and line named).
import { readFileSync } from 'node:fs';
import { PolicyError } from '../../functions/core/index.js';
import { checkManifest } from './check-manifest.js';
import { type CliRequest, parseCliRequest, usage } from './cli-options.js';
import { formatJson, formatText, summarize } from './format-report.js';
import { loadCliPolicy } from './load-cli-policy.js';
import { ManifestError, readManifests } from './read-manifests.js';
import { readOwnVersion } from './read-own-version.js';

async function main(argv: readonly string[]): Promise<number> {
  const request = parseCliRequest(argv, process.env);
  if ('error' in request) return fail(`USAGE: ${request.error}\n${usage}`);
  const value = request.value;
  if (value.type === 'help') return print(`${usage}\n`);
  if (value.type === 'version') return print(`admission-check ${readOwnVersion(import.meta.url)}\n`);
  try {
    return await check(value);
  } catch (error) {
    if (error instanceof ManifestError || error instanceof PolicyError) return fail(`${error.code}: ${error.message}`);
    throw error;
  }
}

async function check(request: Extract<CliRequest, { type: 'check' }>): Promise<number> {
  const policy = await loadCliPolicy(request.policyFile, request.minReplicas);
  const manifests = readManifests(request.paths, () => readFileSync(0, 'utf8'));
  const results = manifests.map((manifest, index) => checkManifest(manifest, index, policy, request.namespace));
  process.stdout.write(request.format === 'json' ? formatJson(results) : formatText(results));
  return summarize(results).denied > 0 ? 1 : 0;
}

function print(text: string): number {
  process.stdout.write(text);
  return 0;
}

function fail(message: string): number {
  process.stderr.write(`admission-check: ${message}\n`);
  return 2;
}

process.exitCode = await main(process.argv.slice(2));
