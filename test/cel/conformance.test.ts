// The CEL conformance suite (cel-spec's tests, the sections a ValidatingAdmissionPolicy
// has; bench/cel-conformance.mjs says which and why) against the kernel's CEL: the
// library (@marcbachmann/cel-js) with the Kubernetes libraries and rewrites the kernel
// adds. It fails if the pass rate drops below the floor measured when it was chosen.
// bench/cel-libraries.mjs compares the libraries themselves.
import type { Environment } from '@marcbachmann/cel-js';
import { describe, expect, it } from 'vitest';
import { celJsAdapter } from '../../bench/cel-adapters.mjs';
import { runConformance } from '../../bench/cel-conformance.mjs';
import { rootOf } from '../../functions/core/cel/cel-ast.js';
import { registerKubernetesLibraries } from '../../functions/core/cel/cel-environment.js';
import { toLibrarySyntax } from '../../functions/core/cel/cel-source.js';
import { toCelValue } from '../../functions/core/cel/cel-values.js';
import { compileExpression } from '../../functions/core/cel/compile-expression.js';
import { rewriteForKubernetes } from '../../functions/core/cel/rewrite-ast.js';

/** Tests passed per section, measured 2026-12-02 (README, Performance): none may be lost. */
const passedFloor: Readonly<Record<string, number>> = {
  basic: 43,
  bindings_ext: 5,
  comparisons: 334,
  conversions: 109,
  fields: 60,
  fp_math: 30,
  integer_math: 64,
  lists: 39,
  logic: 30,
  macros: 43,
  macros2: 45,
  namespace: 1,
  optionals: 58,
  parse: 193,
  plumbing: 5,
  string: 51,
  string_ext: 206,
  timestamps: 70,
  type_deductions: 12,
};
/** 1,398 of 1,404 applicable tests (99.6%). */
const rateFloor = 0.995;

const adapter = await celJsAdapter<Environment>({
  name: 'kernel',
  extend: registerKubernetesLibraries,
  // Trust boundary: the adapter hands back the program the library's parse returned.
  rewrite: (environment, program) => rewriteForKubernetes(environment, rootOf(program as Parameters<typeof rootOf>[0])),
});
const result = runConformance(adapter);

describe('the kernel CEL against the conformance suite', () => {
  it(`passes at least ${(rateFloor * 100).toFixed(1)}% of the tests of the sections Kubernetes has`, () => {
    expect(result.rate).toBeGreaterThanOrEqual(rateFloor);
  });

  it.each(Object.entries(passedFloor))('passes at least as many %s tests as when measured (%i)', (section, least) => {
    expect(result.bySection[section]?.passed ?? 0).toBeGreaterThanOrEqual(least);
  });
});

/** Evaluates `text` as a rule would, on a small object; compile errors are thrown. */
function evaluateRule(text: string): unknown {
  const scope = { sizes: new Map([['object', 1024]]), depth: 0 };
  const compiled = compileExpression(text, { expected: 'any', scope, costLimit: Number.POSITIVE_INFINITY });
  return compiled.evaluate({ object: toCelValue({ spec: { replicas: 3, ports: [80, 443] } }) });
}

describe("the kernel's CEL where it departs from the library", () => {
  it('still refuses, when a rule is checked, operands only an unchecked evaluation allows', () => {
    expect(() => evaluateRule('true || 32')).toThrow(/type-check/);
    expect(() => evaluateRule('1.0 == 1')).toThrow(/type-check/);
  });

  it('compares numbers by value across types and finds other types unequal instead of failing', () => {
    expect(evaluateRule("object.spec.replicas == 'three'")).toBe(false);
    expect(evaluateRule('object.spec.replicas == 3.0')).toBe(true);
    expect(evaluateRule('dyn(3u) in object.spec.ports.map(p, p / 100 - 1)')).toBe(true);
  });

  it('accepts literals of a dynamic field and a constant, as the API server does, and refuses an int beside a string', () => {
    expect(evaluateRule('object.spec.replicas in [object.spec.replicas, 1]')).toBe(true);
    expect(() => evaluateRule("[1, 'a']")).toThrow(/type-check/);
  });

  it('orders bytes, compares optionals and ranges over an empty list', () => {
    expect(evaluateRule("b'a' < b'ab'")).toBe(true);
    expect(evaluateRule('optional.of(object.spec.replicas) == optional.of(3)')).toBe(true);
    expect(evaluateRule('[].all(e, e > 0)')).toBe(true);
  });

  it('fails on an int overflow, a timestamp past year 9999 and a repeated map key', () => {
    expect(() => evaluateRule('-(-9223372036854775807 - 1)')).toThrow(/overflow/);
    expect(() => evaluateRule("timestamp('9999-12-31T23:59:59Z') + duration('1s')")).toThrow(/range/);
    expect(() => evaluateRule("{'a': 1, 'a': 2}")).toThrow(/repeated key/);
  });

  it('reads a timestamp in a time zone given as an offset', () => {
    expect(evaluateRule("timestamp('2009-02-13T23:31:30Z').getHours('+02:00')")).toBe(1n);
  });
});

describe("CEL syntax the library's lexer lacks, written in syntax it has", () => {
  it('leaves an expression without such syntax exactly as written', () => {
    const text = "object.spec.replicas >= 3 && 'br\\'x\\' .5'.size() > 0 // b'ÿ' .5";
    expect(toLibrarySyntax(text)).toEqual({ text, quotedFields: new Map() });
  });

  it('reads raw bytes, UTF-8 in bytes literals and a double written from its point', () => {
    expect(evaluateRule("br'\\d' == b'\\\\d'")).toBe(true);
    expect(evaluateRule("b'ÿ' == b'\\303\\277'")).toBe(true);
    expect(evaluateRule('.5 + 1.0 == 1.5')).toBe(true);
  });

  it('leaves out optional entries of list and map literals whose optional is empty', () => {
    expect(evaluateRule('[?object.?spec.?replicas, ?object.?spec.?nope] == [3]')).toBe(true);
    expect(evaluateRule("{?'a': object.?spec.?nope, ?'b': object.?spec.?replicas} == {'b': 3}")).toBe(true);
    expect(evaluateRule('[?optional.of(1), 2, ?optional.of(3)]')).toEqual([1n, 2n, 3n]);
  });

  it('reads a quoted field name, in has() too', () => {
    expect(evaluateRule("{'content-type': 'json'}.`content-type` == 'json'")).toBe(true);
    expect(evaluateRule("has({'foo.txt': 1}.`foo.txt`) && !has({'a': 1}.`b-c`)")).toBe(true);
  });
});
