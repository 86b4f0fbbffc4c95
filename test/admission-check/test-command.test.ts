// admission-check test: test files found under a folder, every case in one process,
// the table (case, rule, expected, got), JSON and JUnit XML, and the exit codes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderTestSuiteJsonSchema, testSuiteSchema } from '../../deploy/admission-check/test-suite-schema.js';
import { runCli } from './run-cli.js';

const fixtures = 'test/fixtures/admission-check';

describe('admission-check test', () => {
  it('passes a suite whose every expectation holds: resources, inline objects, UPDATE, DELETE and scale reviews', async () => {
    const result = await runCli(['test', `${fixtures}/shop`]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('PASS  Deployment/shop/cart                   readiness-probes  deny      deny');
    expect(result.stdout).toContain('PASS  relabel-cart                           minimum-replicas  warn      warn');
    expect(result.stdout).toMatch(/^13 passed, 0 failed \(1 test file\)$/m);
  });

  it('fails a case that expects the wrong answer, showing what the engine said (exit 1)', async () => {
    const result = await runCli(['test', `${fixtures}/failing`]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      [
        'FAIL  Deployment/shop/small  minimum-replicas  allow     deny',
        '        deployment shop/small has 2 replicas; the minimum is 3. Set spec.replicas to 3 or more and re-apply.',
        'PASS  Deployment/shop/small  (decision)        deny      deny',
      ].join('\n'),
    );
    expect(result.stdout).toMatch(/^1 passed, 1 failed/m);
  });

  it('reports a test file that breaks its schema in one line, runs the others, and exits 2', async () => {
    const result = await runCli(['test', fixtures]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^admission-check: TEST_INVALID: .*broken\.admission-test\.yaml: results\[0\]\.result: Invalid option/m,
    );
    expect(result.stdout).toMatch(/^14 passed, 1 failed \(3 test files, 1 test file invalid\)$/m);
  });

  it('gives JSON with every case and the engine messages', async () => {
    const result = await runCli(['test', '--format', 'json', `${fixtures}/failing`]);
    const report = JSON.parse(result.stdout);
    expect(report.summary).toEqual({ cases: 2, passed: 1, failed: 1, invalidFiles: 0 });
    expect(report.cases[0]).toMatchObject({ rule: 'minimum-replicas', expected: 'allow', got: 'deny', passed: false });
  });

  it('gives JUnit XML that CI dashboards read: one testcase per expectation, failures with the message', async () => {
    const result = await runCli(['test', '--format', 'junit', `${fixtures}/failing`, `${fixtures}/shop`]);
    expect(result.stdout).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="admission-check" tests="15" failures="1" errors="0">/,
    );
    expect(result.stdout.match(/<testcase /g)).toHaveLength(15);
    expect(result.stdout).toContain('<failure message="expected allow, got deny">deployment shop/small has 2 replicas');
  });

  it('says so when a folder holds no test file', async () => {
    const result = await runCli(['test', 'test/fixtures/manifests']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('TEST_INVALID: no test files');
  });

  it('publishes the JSON Schema of test files as the zod schema renders it, and the fixtures pass it', () => {
    const committed = readFileSync('deploy/admission-check/admission-test.schema.json', 'utf8');
    expect(committed).toBe(renderTestSuiteJsonSchema());
    const suite = parse(readFileSync(`${fixtures}/shop/admission-test.yaml`, 'utf8'));
    expect(testSuiteSchema.safeParse(suite).success).toBe(true);
  });
});
