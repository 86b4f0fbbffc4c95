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
import { rewriteForKubernetes } from '../../functions/core/cel/rewrite-ast.js';

/** Tests passed per section, measured 2026-12-02 (README, Performance): none may be lost. */
const passedFloor: Readonly<Record<string, number>> = {
  basic: 41,
  bindings_ext: 5,
  comparisons: 309,
  conversions: 103,
  fields: 46,
  fp_math: 30,
  integer_math: 62,
  lists: 34,
  logic: 25,
  macros: 42,
  macros2: 41,
  namespace: 0,
  optionals: 35,
  parse: 168,
  plumbing: 5,
  string: 51,
  string_ext: 203,
  timestamps: 53,
  type_deductions: 12,
};
/** 1,265 of 1,404 applicable tests. */
const rateFloor = 0.9;

const adapter = await celJsAdapter<Environment>({
  name: 'kernel',
  extend: registerKubernetesLibraries,
  // Trust boundary: the adapter hands back the program the library's parse returned.
  rewrite: (environment, program) => rewriteForKubernetes(environment, rootOf(program as Parameters<typeof rootOf>[0])),
});
const result = runConformance(adapter);

describe('the kernel CEL against the conformance suite', () => {
  it(`passes at least ${rateFloor * 100}% of the tests of the sections Kubernetes has`, () => {
    expect(result.rate).toBeGreaterThanOrEqual(rateFloor);
  });

  it.each(Object.entries(passedFloor))('passes at least as many %s tests as when measured (%i)', (section, least) => {
    expect(result.bySection[section]?.passed ?? 0).toBeGreaterThanOrEqual(least);
  });
});
