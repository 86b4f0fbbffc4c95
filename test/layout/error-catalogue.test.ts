// The error catalogue is complete and the README shows it: every code the sources give
// a user is listed with its cause and fix, no listed code is dead, and the README's
// "Error codes" table is the catalogue, row for row.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorCatalogue } from '../../functions/core/index.js';
import { repositoryRoot } from '../helpers/clean-copy.js';
import { readErrorTable, renderErrorTable } from '../helpers/error-table.js';

const catalogueFile = 'functions/core/error-catalogue.ts';
const sources = ['functions', 'proxy', 'certs', 'deploy'].flatMap((folder) =>
  readdirSync(join(repositoryRoot, folder), { recursive: true })
    .map((name) => join(folder, String(name)))
    .filter((path) => path.endsWith('.ts') && path !== catalogueFile)
    .map((path) => ({ path, text: readFileSync(join(repositoryRoot, path), 'utf8') })),
);

/** Codes as the sources give them: `code = 'X'`, `code: 'X'`, `SomeError('X', ...)`, and `'X: ...'` answers. */
function codesUsedIn(text: string): string[] {
  const patterns = [
    /\bcode\s*[=:]\s*'([A-Z][A-Z_]{2,})'/g,
    /Error\(\s*'([A-Z][A-Z_]{2,})'/g,
    /[`'"]([A-Z][A-Z_]{2,}): /g,
  ];
  return patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => match[1] ?? ''));
}

// Words that look like codes but are not errors a user is given: cluster:status's word for a
// certificate, a log label for an unknown network failure, and the placeholder in a comment.
const notErrors = new Set(['EXPIRED', 'UNKNOWN', 'CODE']);

describe('the error catalogue', () => {
  it('lists every code the sources use', () => {
    const used = sources.flatMap(({ path, text }) => codesUsedIn(text).map((code) => ({ path, code })));
    const missing = used.filter(({ code }) => !(code in errorCatalogue) && !notErrors.has(code));
    expect(missing).toEqual([]);
  });

  it('lists no code that nothing uses', () => {
    const all = sources.map(({ text }) => text).join('\n');
    const dead = Object.keys(errorCatalogue).filter((code) => !all.includes(`'${code}`) && !all.includes(`${code}:`));
    expect(dead).toEqual([]);
  });

  it('is the README table, row for row', () => {
    const readme = readFileSync(join(repositoryRoot, 'README.md'), 'utf8');
    expect(readErrorTable(readme)).toEqual(renderErrorTable());
  });

  it('finds codes the way the sources write them', () => {
    expect(codesUsedIn("readonly code = 'POLICY_INVALID' satisfies ErrorCode;")).toEqual(['POLICY_INVALID']);
    expect(codesUsedIn("new InstallerError('NOT_READY', `...`)")).toEqual(['NOT_READY']);
    expect(codesUsedIn("refuse(res, 405, 'method_not_allowed', 'METHOD_NOT_ALLOWED: use POST')")).toEqual([
      'METHOD_NOT_ALLOWED',
    ]);
  });
});
