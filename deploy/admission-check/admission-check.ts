#!/usr/bin/env node
// admission-check: the webhook's decision, before kubectl apply (check), over test
// files (test), and over what a cluster already holds (audit). Each subcommand loads
// only what it needs: audit's Kubernetes client is imported by audit alone.
// Exit codes: see usage.ts (0 nothing denied, 1 denied, 2 cannot run, 3 unreadable inputs).
import { PolicyError } from '../../functions/core/index.js';
import { CliError } from './cli-error.js';
import { type CliRequest, parseCliRequest } from './cli-options.js';
import { readOwnVersion } from './read-own-version.js';
import type { CommandOutput } from './run-check.js';
import { usage } from './usage.js';

async function main(argv: readonly string[]): Promise<number> {
  const request = parseCliRequest(argv, process.env);
  if ('error' in request) return fail(`USAGE: ${request.error}\n${usage}`);
  const value = request.value;
  if (value.type === 'help') return print(`${usage}\n`);
  if (value.type === 'version') return print(`admission-check ${readOwnVersion(import.meta.url)}\n`);
  let output: CommandOutput;
  try {
    output = await run(value);
  } catch (error) {
    if (error instanceof PolicyError || error instanceof CliError) return fail(`${error.code}: ${error.message}`);
    // A bug: still one line, with where it happened, rather than a stack trace.
    const where = error instanceof Error ? (error.stack?.split('\n')[1]?.trim() ?? '') : '';
    return fail(`INTERNAL: ${error instanceof Error ? error.message : 'unknown error'} ${where}`.trimEnd());
  }
  for (const line of output.stderr) process.stderr.write(`admission-check: ${line}\n`);
  process.stdout.write(output.stdout);
  return output.exitCode;
}

async function run(request: Exclude<CliRequest, { type: 'help' | 'version' }>): Promise<CommandOutput> {
  if (request.type === 'test') return (await import('./run-test-suites.js')).runTestSuites(request);
  if (request.type === 'audit') return (await import('./run-audit.js')).runAudit(request);
  if (request.type === 'export') return (await import('./run-export.js')).runExport(request);
  return (await import('./run-check.js')).runCheck(request);
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
