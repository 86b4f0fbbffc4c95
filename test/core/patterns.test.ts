// Name patterns (`prod-*`, `*`, `kube-system`): the shortcuts for a pattern without a
// star and for a lone star answer as the anchored regular expression they stand for.
import { describe, expect, it } from 'vitest';
import { compilePattern } from '../../functions/core/patterns.js';

/** The pattern as a regular expression, as it was compiled before the shortcuts. */
function asRegularExpression(pattern: string) {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const expression = new RegExp(`^${source}$`);
  return (value: string) => expression.test(value);
}

const patterns = ['*', 'kube-system', 'prod-*', '*-canary', '', 'a.b', 'x$', '**', 'a*b*c'];
const values = [
  '',
  'kube-system',
  'prod-1',
  'a\nb',
  'x\u2028',
  '\r',
  'a.b',
  'axb',
  'x$',
  'kube-system\n',
  'abc',
  'web-canary',
];

describe('name patterns', () => {
  it.each(patterns)('%j answers every value as its regular expression does', (pattern) => {
    const compiled = compilePattern(pattern);
    const expected = asRegularExpression(pattern);
    expect(values.map((value) => compiled(value))).toEqual(values.map((value) => expected(value)));
  });

  it('matches by equality without a star, and anything on one line with a lone star', () => {
    expect(compilePattern('kube-system')('kube-system')).toBe(true);
    expect(compilePattern('kube-system')('kube-system-2')).toBe(false);
    expect(compilePattern('*')('any-namespace')).toBe(true);
    expect(compilePattern('*')('two\nlines')).toBe(false);
  });
});
