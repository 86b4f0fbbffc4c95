// The report of `admission-check test`: a table (case, rule, expected, got) with the
// engine's messages under each failing case, a stable JSON document, or JUnit XML (one
// testsuite per test file, one testcase per expected result) for CI dashboards.
import type { CaseRow } from './run-test-suite.js';

export interface SuiteFailure {
  readonly suite: string;
  readonly message: string;
}

function describeTotals(rows: readonly CaseRow[], broken: readonly SuiteFailure[]): string {
  const failed = rows.filter((row) => !row.passed).length;
  const files = new Set([...rows.map((row) => row.suite), ...broken.map((failure) => failure.suite)]).size;
  const invalid = broken.length > 0 ? `, ${broken.length} test file${broken.length === 1 ? '' : 's'} invalid` : '';
  return `${rows.length - failed} passed, ${failed} failed (${files} test file${files === 1 ? '' : 's'}${invalid})`;
}

export function formatTestText(rows: readonly CaseRow[], broken: readonly SuiteFailure[]): string {
  const header = { case: 'CASE', rule: 'RULE', expected: 'EXPECTED', got: 'GOT' };
  const width = (key: 'case' | 'rule' | 'expected') =>
    Math.max(header[key].length, ...rows.map((row) => row[key].length));
  const [caseWidth, ruleWidth, expectedWidth] = [width('case'), width('rule'), width('expected')];
  const line = (status: string, row: Pick<CaseRow, 'case' | 'rule' | 'expected' | 'got'>) =>
    `${status.padEnd(5)} ${row.case.padEnd(caseWidth)}  ${row.rule.padEnd(ruleWidth)}  ${row.expected.padEnd(expectedWidth)}  ${row.got}`.trimEnd();
  const lines: string[] = [];
  let suite = '';
  for (const row of rows) {
    if (row.suite !== suite) {
      suite = row.suite;
      lines.push(`${suite}`, line('', header));
    }
    lines.push(line(row.passed ? 'PASS' : 'FAIL', row));
    if (!row.passed)
      lines.push(...(row.messages.length > 0 ? row.messages : ['(no message)']).map((m) => `        ${m}`));
  }
  for (const failure of broken) lines.push(`FAIL  ${failure.message}`);
  lines.push(describeTotals(rows, broken));
  return `${lines.join('\n')}\n`;
}

export function formatTestJson(rows: readonly CaseRow[], broken: readonly SuiteFailure[]): string {
  const failed = rows.filter((row) => !row.passed).length;
  const summary = { cases: rows.length, passed: rows.length - failed, failed, invalidFiles: broken.length };
  return `${JSON.stringify({ version: 1, cases: rows, invalid: broken, summary }, null, 2)}\n`;
}

const escapeXml = (text: string) =>
  text
    .replace(/[<>&"']/g, (character) => `&#${character.charCodeAt(0)};`)
    .replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD]/g, '');

export function formatTestJunit(rows: readonly CaseRow[], broken: readonly SuiteFailure[]): string {
  const suites = new Map<string, CaseRow[]>();
  for (const row of rows) suites.set(row.suite, [...(suites.get(row.suite) ?? []), row]);
  const blocks = [...suites].map(([suite, cases]) => {
    const failures = cases.filter((row) => !row.passed).length;
    const testcases = cases.map((row) => {
      const name = escapeXml(`${row.case} ${row.rule} ${row.expected}`);
      if (row.passed) return `    <testcase classname="${escapeXml(suite)}" name="${name}"/>`;
      const text = escapeXml(row.messages.join('\n'));
      const message = escapeXml(`expected ${row.expected}, got ${row.got}`);
      return `    <testcase classname="${escapeXml(suite)}" name="${name}">\n      <failure message="${message}">${text}</failure>\n    </testcase>`;
    });
    return [
      `  <testsuite name="${escapeXml(suite)}" tests="${cases.length}" failures="${failures}" errors="0">`,
      ...testcases,
      '  </testsuite>',
    ].join('\n');
  });
  const errors = broken.map(
    (failure) =>
      `  <testsuite name="${escapeXml(failure.suite)}" tests="1" failures="0" errors="1">\n    <testcase classname="${escapeXml(failure.suite)}" name="load"><error message="${escapeXml(failure.message)}"/></testcase>\n  </testsuite>`,
  );
  const total = rows.length + broken.length;
  const failed = rows.filter((row) => !row.passed).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="admission-check" tests="${total}" failures="${failed}" errors="${broken.length}">`,
    ...blocks,
    ...errors,
    '</testsuites>',
    '',
  ].join('\n');
}
