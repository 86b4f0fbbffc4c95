// The CEL conformance suite (cel-spec's test data, as @bufbuild/cel-spec ships it) run
// against a CEL library through a small adapter. Used by bench/cel-libraries.mjs (the
// comparison) and by test/cel/conformance.test.ts (the floor of the library we ship).
//
// Sections: those whose features a ValidatingAdmissionPolicy has. Left out: proto2,
// proto3, proto2_ext, enums, wrappers and dynamic (protobuf messages, enums and wrapper
// types: Kubernetes objects are JSON, never protobuf messages), block_ext (cel.@block,
// an internal of cel-go's optimiser), encoders_ext and math_ext (not in the Kubernetes
// CEL environment), unknowns (empty). Inside the sections kept, a test that needs a
// protobuf message (a message type, a container, an object value other than Timestamp
// or Duration) or only checks types (checkOnly) is counted as not applicable, for every
// library alike.
import { tests } from '@bufbuild/cel-spec/testdata/conformance.js';

export const sections = [
  'basic',
  'bindings_ext',
  'comparisons',
  'conversions',
  'fields',
  'fp_math',
  'integer_math',
  'lists',
  'logic',
  'macros',
  'macros2',
  'namespace',
  'optionals',
  'parse',
  'plumbing',
  'string',
  'string_ext',
  'timestamps',
  'type_deductions',
];

const protoWords = /TestAllTypes|google\.protobuf|proto[23]\.|NestedTestAllTypes|GlobalEnum|\.Enum\b/;

/** Why a test does not apply to a JSON-only CEL environment, or undefined. */
function notApplicable(test) {
  const t = test.original;
  if (t.checkOnly) return 'check only';
  if (t.container) return 'container';
  if (protoWords.test(t.expr)) return 'protobuf message';
  if ((t.typeEnv ?? []).some((decl) => JSON.stringify(decl).includes('messageType'))) return 'protobuf message';
  const values = [t.value, ...Object.values(t.bindings ?? {}).map((binding) => binding.value)];
  if (values.some((value) => value !== undefined && hasMessage(value))) return 'protobuf message';
  return undefined;
}

function hasMessage(value) {
  if (value.objectValue) return !/google\.protobuf\.(Timestamp|Duration)$/.test(value.objectValue['@type']);
  if (value.listValue) return (value.listValue.values ?? []).some(hasMessage);
  if (value.mapValue) return (value.mapValue.entries ?? []).some((e) => hasMessage(e.key) || hasMessage(e.value));
  return false;
}

/** The expected value in a canonical text form the adapters' results are compared with. */
export function canonicalExpected(value) {
  if ('nullValue' in value) return 'null';
  if ('boolValue' in value) return `bool(${value.boolValue})`;
  if ('int64Value' in value) return `int(${BigInt(value.int64Value)})`;
  if ('uint64Value' in value) return `uint(${BigInt(value.uint64Value)})`;
  if ('doubleValue' in value) return `double(${Number(value.doubleValue)})`;
  if ('stringValue' in value) return `string(${JSON.stringify(value.stringValue)})`;
  if ('bytesValue' in value) return `bytes(${Buffer.from(value.bytesValue, 'base64').toString('hex')})`;
  if ('typeValue' in value) return `type(${value.typeValue})`;
  if ('listValue' in value) return `[${(value.listValue.values ?? []).map(canonicalExpected).join(',')}]`;
  if ('mapValue' in value) {
    const entries = (value.mapValue.entries ?? []).map(
      (e) => `${canonicalExpected(e.key)}:${canonicalExpected(e.value)}`,
    );
    return `{${entries.sort().join(',')}}`;
  }
  if ('objectValue' in value) {
    const { '@type': type, value: text } = value.objectValue;
    return type.endsWith('Timestamp') ? `timestamp(${new Date(text).toISOString()})` : `duration(${text})`;
  }
  return `unknown(${JSON.stringify(value)})`;
}

/** Every test of the sections kept, flattened: { section, name, test }. */
export function collectTests(only = sections) {
  const found = [];
  const walk = (suite, section, prefix) => {
    for (const test of suite.tests ?? []) found.push({ section, name: `${prefix}/${test.original.name}`, test });
    for (const child of suite.suites ?? []) walk(child, section, `${prefix}/${child.name}`);
  };
  for (const suite of tests.suites) if (only.includes(suite.name)) walk(suite, suite.name, suite.name);
  return found;
}

/**
 * Runs every test through `adapter.run(original)`, which returns { value } (canonical
 * text), { error } or throws. Returns per-section counts and the failing names.
 */
export function runConformance(adapter, only = sections) {
  const bySection = {};
  const failures = [];
  for (const { section, name, test } of collectTests(only)) {
    bySection[section] ??= { passed: 0, failed: 0, notApplicable: 0 };
    const counts = bySection[section];
    if (notApplicable(test)) {
      counts.notApplicable++;
      continue;
    }
    const ok = passes(adapter, test.original);
    if (ok) counts.passed++;
    else {
      counts.failed++;
      failures.push(name);
    }
  }
  let passed = 0;
  let failed = 0;
  for (const counts of Object.values(bySection)) {
    passed += counts.passed;
    failed += counts.failed;
  }
  return { bySection, passed, failed, rate: passed / (passed + failed), failures };
}

function passes(adapter, original) {
  let outcome;
  try {
    outcome = adapter.run(original);
  } catch (error) {
    outcome = { error };
  }
  if (original.evalError) return 'error' in outcome;
  if ('error' in outcome) return false;
  const value = original.value ?? original.typedResult?.result;
  const expected = value ? canonicalExpected(value) : 'bool(true)';
  return outcome.value === expected;
}
