// The wire facts both the proxy and the function rely on: one definition, tested once.
import { describe, expect, it } from 'vitest';
import {
  clampWarning,
  isJsonContentType,
  maxWarningLength,
  parseClusterName,
  readRequestId,
} from '../../functions/core/wire.js';

describe('the wire module', () => {
  it.each([
    ['application/json', true],
    ['Application/JSON; charset=utf-8', true],
    ['text/plain', false],
    ['application/json-patch+json', false],
    [undefined, false],
    [null, false],
  ])('reads content type %s as JSON: %s', (header, expected) => {
    expect(isJsonContentType(header)).toBe(expected);
  });

  it('keeps a plain request id and refuses anything that could forge a log line', () => {
    expect(readRequestId('req-1.2:3_4')).toBe('req-1.2:3_4');
    expect(readRequestId('a\nb')).toBeUndefined();
    expect(readRequestId('x'.repeat(65))).toBeUndefined();
    expect(readRequestId(['a', 'b'])).toBeUndefined();
  });

  it('clamps a long warning under 120 characters, ending with "..."', () => {
    const clamped = clampWarning('w'.repeat(500));
    expect(clamped).toHaveLength(maxWarningLength);
    expect(clamped.endsWith('...')).toBe(true);
    expect(clampWarning('short')).toBe('short');
  });

  it('replaces characters the API server would drop a warning for', () => {
    expect(clampWarning('tab\there, é, \u0007')).toBe('tab?here, ?, ?');
  });

  it('accepts safe cluster names only', () => {
    expect(parseClusterName('prod.eu-1_a')).toBe('prod.eu-1_a');
    expect(parseClusterName('-prod')).toBeNull();
    expect(parseClusterName('prod aks')).toBeNull();
    expect(parseClusterName('a'.repeat(64))).toBeNull();
  });
});
